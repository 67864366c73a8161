import ArgumentParser
import Foundation
import HerdCore

/// `herd worker`: runs transcoding (and delivery, copy) jobs for an instance, with no HTTP server.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run an instance's transcoding, delivery and copy jobs, with no HTTP server.",
        discussion: """
            Give it the server's configuration: the same database (PostgreSQL, for workers on other machines) and \
            the same media storage (object storage, or a folder every machine mounts). Any number of workers may \
            run; each job is leased by one at a time, and a worker that dies gives its job back when the lease \
            (jobs.lease_duration) expires. With transcoding.remote_only: true the server itself transcodes nothing. \
            SIGTERM or SIGINT hands the jobs in flight back to the queue.
            """
    )

    @OptionGroup var options: ConfigOptions

    @Option(help: "Transcodes at once (default: transcoding.concurrency).")
    var concurrency: Int?

    func validate() throws {
        if let concurrency, !(1...64).contains(concurrency) {
            throw ValidationError("--concurrency must be between 1 and 64")
        }
    }

    func run() async throws {
        let settings = try options.settings()
        let logger = makeLogger(level: settings.logLevel)
        let herd = try await HerdApplication(settings: settings, logger: logger, rootPassword: nil, role: .worker)
        try await herd.work(concurrency: concurrency ?? settings.transcoding.concurrency)
    }
}
