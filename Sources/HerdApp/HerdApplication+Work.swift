import Foundation
import HerdCore
import HerdJobs
import Logging
import ServiceLifecycle

extension HerdApplication {
    /// `herd worker`: no HTTP server, no seeder; `concurrency` transcodes at once (and the deliveries and copies),
    /// claimed from the instance's database, reading and writing its media storage, until SIGTERM or SIGINT hand
    /// the jobs in flight back to the queue (issue 18).
    public func work(concurrency: Int) async throws {
        let workers = jobWorkers(transcoding: max(1, concurrency))
        logger.info(
            "Herd worker is running jobs",
            metadata: [
                "holder": "\(jobLeasing.holder)", "transcoding": "\(max(1, concurrency))",
                "database": "\(postgres == nil ? "sqlite" : "postgres")", "storage": "\(settings.storageDir)",
            ])
        if postgres == nil {
            logger.notice(
                "this worker shares a SQLite file: it must run on the server's machine, and it looks for jobs every 2 s"
            )
        }
        try await runUntilSignalled(databaseServices + ([leaseReaper] + workers).map(QuietWhenStopping.init))
        logger.info("Herd worker stopped")
    }
}
