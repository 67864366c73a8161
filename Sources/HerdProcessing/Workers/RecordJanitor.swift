import Foundation
import HerdCore
import Logging
import ServiceLifecycle

/// Keeps tables that strangers can grow from growing for ever (issue 14): expired OAuth tokens, inbox activity ids
/// older than a day (their signatures' 30-minute window has long closed), and cached remote actors nothing refers
/// to, fetched over 30 days ago (fetched again if they ever write). Runs at start and hourly.
public struct RecordJanitor: Service {
    let stores: Stores
    let clock: any WallClock
    let logger: Logger
    var interval: Duration = .seconds(3600)
    static let seenLifetime: TimeInterval = 86_400
    static let strangerLifetime: TimeInterval = 30 * 86_400

    public init(stores: Stores, clock: any WallClock, logger: Logger) {
        self.stores = stores
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        await repeatUntilShutdown(every: interval, logger: logger, failure: "record cleanup failed") {
            try await stores.singletons.alone("record-janitor") { try await sweep() }
        }
    }

    func sweep() async throws {
        let now = clock.now()
        try await stores.tokens.purge(expiredBefore: now)
        let purged = try await stores.federation.purge(
            seenBefore: now.addingTimeInterval(-Self.seenLifetime),
            actorsFetchedBefore: now.addingTimeInterval(-Self.strangerLifetime))
        if purged.seen + purged.actors > 0 {
            logger.info(
                "purged old records", metadata: ["inbox_ids": "\(purged.seen)", "remote_actors": "\(purged.actors)"])
        }
    }
}
