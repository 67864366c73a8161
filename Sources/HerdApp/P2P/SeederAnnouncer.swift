import Foundation
import HerdAPI
import HerdCore
import HerdSeeder
import Logging
import ServiceLifecycle

/// Once the seeder is listening: seeds every torrent recorded in the database, then keeps announcing the seeder to
/// the tracker and forgets peers that stopped announcing, twice per announce interval.
struct SeederAnnouncer: Service {
    let hub: PeerHub
    let services: APIServices
    let logger: Logger

    func run() async throws {
        let interval = max(1, services.settings.p2p.announceInterval / 2)
        try await cancelWhenGracefulShutdown {
            guard await hub.seeder.waitUntilBound() != nil else { return }
            try await hub.restore(from: services.stores)
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(interval))
                hub.announceAll()
                hub.tracker.expire()
                await hub.announceCopies()
            }
        }
    }
}
