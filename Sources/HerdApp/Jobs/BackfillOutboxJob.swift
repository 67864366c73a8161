import Foundation
import HerdAPI
import HerdCore
import HerdJobs
import Logging

/// `activitypub-outbox-backfill`: after an instance follow is accepted, reads the followed instance's outbox and
/// stores the videos it published before (`OutboxBackfill`).
struct BackfillOutboxJob: JobHandler {
    var kind: String { OutboxBackfill.jobKind }
    let services: APIServices
    let logger: Logger

    func run(_ job: Job, progress: JobProgress) async throws {
        let payload = try JSONDecoder().decode(OutboxBackfill.Payload.self, from: job.payload)
        let stored = try await OutboxBackfill(services: services).run(outbox: payload.outbox)
        logger.info(
            "caught up with a followed instance", metadata: ["outbox": "\(payload.outbox)", "videos": "\(stored)"])
    }
}
