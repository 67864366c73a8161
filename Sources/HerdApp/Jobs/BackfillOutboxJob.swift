import Foundation
import HerdAPI
import HerdCore
import HerdJobs
import Logging

/// `activitypub-outbox-backfill`: after an instance follow is accepted, reads the followed instance's outbox and
/// stores the videos it published before (`OutboxBackfill`).
struct BackfillOutboxJob: JobHandler {
    var kind: String { BackfillOutboxPayload.kind.rawValue }
    let services: APIServices
    let logger: Logger

    func run(_ job: Job, progress: JobProgress) async throws {
        let payload = try BackfillOutboxPayload(of: job)
        let stored = try await OutboxBackfill(services: services).run(outbox: payload.outbox)
        logger.info(
            "caught up with a followed instance", metadata: ["outbox": "\(payload.outbox)", "videos": "\(stored)"])
    }
}
