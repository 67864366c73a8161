import HerdCore
import Hummingbird

/// Media responses share `p2p.max_upload_rate` with the seeder: players wait their turn, BitTorrent clients on the
/// web seed get only what is spare.
extension StaticFiles {
    /// How a response's bytes are paced against `p2p.max_upload_rate`.
    enum Pacing {
        /// Players: reserve, and wait out the delay.
        case normal(UploadThrottle)
        /// BitTorrent clients on the web seed (BEP 19): only spare bandwidth, so the seeder and the swarm go first;
        /// and only while the client has not reached the seeder or the swarm for the file (`stillWanted`).
        case spare(UploadThrottle, stillWanted: @Sendable () -> Bool)
    }

    /// A web-seed response stopped because its BitTorrent client meanwhile reached the seeder or the swarm; the
    /// connection closes, and the client takes the rest over the peer wire (it retries the web seed later).
    struct SentBackToSwarm: Error {}

    static func pace(_ bytes: Int, _ pacing: Pacing?) async throws {
        switch pacing {
        case nil: return
        case .normal(let throttle):
            let delay = throttle.reserve(bytes)
            if delay > 0 { try await Task.sleep(for: .seconds(delay)) }
        case .spare(let throttle, let stillWanted):
            while !throttle.tryReserve(bytes) {
                guard stillWanted() else { throw SentBackToSwarm() }
                try await Task.sleep(for: .milliseconds(20))
            }
            // A long range (libtorrent asks for up to 16 MiB at once) would otherwise keep coming from the web seed.
            guard stillWanted() else { throw SentBackToSwarm() }
        }
    }

    func throttle(_ mount: Mount, _ request: Request, stillWanted: @escaping @Sendable () -> Bool) -> Pacing? {
        let throttle = uploadThrottle
        guard mount.media, throttle.rate != nil else { return nil }
        let agent = request.headers[.userAgent]?.lowercased() ?? ""
        guard Self.bitTorrentAgents.contains(where: agent.contains) else { return .normal(throttle) }
        return .spare(throttle, stillWanted: stillWanted)
    }

    /// User agents of BitTorrent clients fetching a web seed.
    static let bitTorrentAgents = [
        "libtorrent", "aria2", "transmission", "qbittorrent", "utorrent", "bittorrent", "webtorrent", "deluge",
        "rtorrent", "vuze", "azureus", "tixati", "biglybt",
    ]
}
