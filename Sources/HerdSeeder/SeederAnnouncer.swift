import Foundation
import HerdCore
import Logging
import ServiceLifecycle

/// Once the seeder is listening: seeds every torrent recorded in the database, then twice per announce interval takes
/// up the videos other processes published or withdrew, announces the seeder to the tracker and forgets peers that stopped
/// announcing.
public struct SeederAnnouncer: Service {
    let hub: PeerHub
    let stores: Stores
    /// `p2p.announce_interval`, in seconds.
    let announceInterval: Int
    let logger: Logger

    public init(hub: PeerHub, stores: Stores, announceInterval: Int, logger: Logger) {
        self.hub = hub
        self.stores = stores
        self.announceInterval = announceInterval
        self.logger = logger
    }

    public func run() async throws {
        let interval = max(1, announceInterval / 2)
        try await cancelWhenGracefulShutdown {
            guard await hub.seeder.waitUntilBound() != nil else { return }
            try await hub.restore(from: stores)
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(interval))
                if let caught = try? await hub.catchUp(from: stores), caught > 0 {
                    logger.info("took up videos published or withdrawn elsewhere", metadata: ["videos": "\(caught)"])
                }
                hub.announceAll()
                hub.tracker.expire()
                await hub.announceCopies()
            }
        }
    }
}
