import Foundation
import HerdCore
import Logging

/// `activitypub-outbox-backfill`: after an instance follow is accepted, reads the followed instance's outbox and
/// stores the videos it published before (`OutboxBackfill`).
public struct BackfillOutboxJob: JobHandler {
    public var kind: String { BackfillOutboxPayload.kind.rawValue }
    let backfill: OutboxBackfill
    let logger: Logger

    public init(backfill: OutboxBackfill, logger: Logger) {
        self.backfill = backfill
        self.logger = logger
    }

    public func run(_ job: Job, progress: JobProgress) async throws {
        let payload = try BackfillOutboxPayload(of: job)
        let stored = try await backfill.run(outbox: payload.outbox)
        logger.info(
            "caught up with a followed instance", metadata: ["outbox": "\(payload.outbox)", "videos": "\(stored)"])
    }
}
