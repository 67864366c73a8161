/// The peers of one info-hash: an array (for deterministic, rotating selection) indexed by peer key, with
/// incremental seeder counts and a lower bound on the oldest announce, so expiry is free when nothing is stale.
struct Swarm: Sendable {
    private(set) var peers: [Peer] = []
    private var slots: [PeerKey: Int] = [:]
    private(set) var seeders = 0
    /// Completed downloads (`completed` events) seen since registration (BEP 48 `downloaded`).
    var downloaded = 0
    /// Where the next peer selection starts, so successive announces see different peers.
    private var cursor = 0
    /// No peer was seen before this (a lower bound, exact after each sweep).
    private var earliestSeen = Double.infinity

    var count: Int { peers.count }
    var leechers: Int { peers.count - seeders }
    var stats: ScrapeStats { ScrapeStats(complete: seeders, incomplete: leechers, downloaded: downloaded) }

    func peer(_ key: PeerKey) -> Peer? {
        slots[key].map { peers[$0] }
    }

    /// Inserts or replaces the peer under `key`.
    mutating func upsert(_ peer: Peer, as key: PeerKey) {
        earliestSeen = min(earliestSeen, peer.lastSeen)
        if let index = slots[key] {
            if peers[index].isSeeder { seeders -= 1 }
            peers[index] = peer
        } else {
            slots[key] = peers.count
            peers.append(peer)
        }
        if peer.isSeeder { seeders += 1 }
    }

    @discardableResult
    mutating func remove(_ key: PeerKey) -> Peer? {
        guard let index = slots.removeValue(forKey: key) else { return nil }
        let removed = peers[index]
        if removed.isSeeder { seeders -= 1 }
        let last = peers.count - 1
        if index != last {
            peers[index] = peers[last]
            slots[PeerKey(id: peers[index].id, webSocket: peers[index].transport.isWebSocket)] = index
        }
        peers.removeLast()
        return removed
    }

    /// Forgets peers not seen for more than `timeout`; returns how many.
    mutating func sweep(now: Double, timeout: Double) -> Int {
        guard now - earliestSeen > timeout else { return 0 }
        let stale = peers.filter { now - $0.lastSeen > timeout }
        for peer in stale { remove(PeerKey(id: peer.id, webSocket: peer.transport.isWebSocket)) }
        earliestSeen = peers.map(\.lastSeen).min() ?? .infinity
        return stale.count
    }

    /// Up to `limit` peers of one transport, starting where the last selection stopped.
    mutating func select(
        limit: Int, webSocket: Bool, excluding asker: PeerKey, endpoint: PeerEndpoint?, leechersOnly: Bool
    ) -> [Peer] {
        guard limit > 0, !peers.isEmpty else { return [] }
        var chosen: [Peer] = []
        let start = cursor % peers.count
        for offset in 0..<peers.count {
            let index = (start + offset) % peers.count
            let peer = peers[index]
            guard peer.transport.isWebSocket == webSocket, peer.id != asker.id,
                endpoint == nil || peer.endpoint != endpoint, !(leechersOnly && peer.isSeeder)
            else { continue }
            chosen.append(peer)
            if chosen.count == limit {
                cursor = index + 1
                break
            }
        }
        return chosen
    }
}
