import HerdCore
import PostgresNIO

extension PostgresStorage {
    /// The channel the jobs table's triggers notify at the commit of a job queued or handed back.
    static let jobsChannel = "herd_jobs"

    /// `LISTEN herd_jobs` on a connection of its own (a pool's connection would be taken from the stores for good)
    /// for as long as the client runs, ringing the job store's wake-ups at each notification. A lost connection is
    /// listened again a second later, and rings once: what was notified meanwhile is found by the claim it causes.
    func listenForJobs() async {
        let configuration = PostgresConnection.Configuration(
            host: target.host, port: target.port, username: target.username, password: target.password,
            database: target.database, tls: .disable)
        while !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(
                    configuration: configuration, id: 0, logger: logger)
                defer { Task { try? await connection.close() } }
                try await connection.listen(on: Self.jobsChannel) { notifications in
                    jobWakeups.notify()
                    for try await _ in notifications { jobWakeups.notify() }
                }
            } catch {
                if Task.isCancelled { return }
                let reason = (error as? PSQLError).map { PostgresFailure($0).description } ?? "\(error)"
                logger.warning(
                    "not listening for new jobs: workers poll until it comes back", metadata: ["error": "\(reason)"])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
