import HerdCore
import PostgresNIO
import Synchronization

extension PostgresStorage {
    /// The channel the jobs table's triggers notify at the commit of a job queued or handed back.
    static let jobsChannel = "herd_jobs"
    /// The channel nodes tell each other what they changed on (their list caches are cleared).
    static let contentChannel = "herd_content"

    /// `LISTEN herd_jobs` and `LISTEN herd_content` on a connection of its own (a pool's connection would be taken
    /// from the stores for good) for as long as the client runs: the first rings the job store's wake-ups, the second
    /// hands other nodes' changes to the relayed `ContentEvents`. A lost connection is listened again a second later,
    /// and rings once: what was notified meanwhile is found by the claim it causes (a list cache may then be stale
    /// for its lifetime, `api.list_cache_ttl`).
    func listen() async {
        let configuration = PostgresConnection.Configuration(
            host: target.host, port: target.port, username: target.username, password: target.password,
            database: target.database, tls: .disable)
        while !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(
                    configuration: configuration, id: 0, logger: logger)
                defer { Task { try? await connection.close() } }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        try await connection.listen(on: Self.jobsChannel) { notifications in
                            self.jobWakeups.notify()
                            for try await _ in notifications { self.jobWakeups.notify() }
                        }
                    }
                    group.addTask {
                        try await connection.listen(on: Self.contentChannel) { notifications in
                            for try await notification in notifications { self.received(notification.payload) }
                        }
                    }
                    try await group.next()
                    group.cancelAll()
                }
            } catch {
                if Task.isCancelled { return }
                let reason = (error as? PSQLError).map { PostgresFailure($0).description } ?? "\(error)"
                logger.warning(
                    "not listening to the other nodes: workers poll for jobs, list caches expire by themselves",
                    metadata: ["error": "\(reason)"])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    /// Several nodes on this database: what `events` publishes here is told to the others (`NOTIFY herd_content`),
    /// and what they tell is published here to its subscribers only.
    public func relay(_ events: ContentEvents) {
        relayed.withLock { $0 = events }
        let (db, node, logger) = (PostgresConnections(client: client, logger: logger), node, logger)
        events.forward { change in
            Task {
                do {
                    try await db.query(
                        "SELECT pg_notify(\(Self.contentChannel), \(change.notificationPayload(node: node)))")
                } catch {
                    logger.warning("could not tell the other nodes of a change", metadata: ["change": "\(change)"])
                }
            }
        }
    }

    func received(_ payload: String) {
        guard let (origin, change) = ContentChanged.fromNotification(payload), origin != node else { return }
        // Another node's write: this node's cached totals go too, as after its own.
        videoCounts.invalidate()
        relayed.withLock { $0 }?.received(change)
    }
}
