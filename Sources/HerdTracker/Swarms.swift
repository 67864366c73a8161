/// The registry of known info-hashes and their peers, shared by the HTTP (BEP 3) and WebSocket (WebTorrent)
/// trackers. Only registered hashes are tracked: an announce or scrape for any other gets "unknown info-hash" and
/// creates nothing, so strangers cannot use the tracker for their own swarms.
///
/// A value type with mutating methods: keep it inside one actor or mutex.
public struct Swarms: Sendable {
    public var limits: TrackerLimits
    private var swarms: [InfoHash: Swarm] = [:]
    /// Peers recorded across all swarms.
    public private(set) var peerCount = 0

    public init(limits: TrackerLimits = TrackerLimits()) {
        self.limits = limits
    }

    /// Starts tracking `hash`; returns false if it already was.
    @discardableResult
    public mutating func register(_ hash: InfoHash) -> Bool {
        guard swarms[hash] == nil else { return false }
        swarms[hash] = Swarm()
        return true
    }

    /// Stops tracking `hash` and forgets its peers; returns false if it was not tracked.
    @discardableResult
    public mutating func unregister(_ hash: InfoHash) -> Bool {
        guard let swarm = swarms.removeValue(forKey: hash) else { return false }
        peerCount -= swarm.count
        return true
    }

    public func isKnown(_ hash: InfoHash) -> Bool {
        swarms[hash] != nil
    }

    /// How many info-hashes are registered.
    public var registeredCount: Int { swarms.count }

    /// Records (or removes, for `stopped`) the announcing peer and picks peers for it.
    ///
    /// - A TCP announce for a peer id recorded from another address is served but changes nothing, unless it
    ///   carries the recorded `key`: peer ids are public, so this keeps others from moving or stopping a peer.
    /// - A WebSocket announce for a peer id held by another open connection in the same swarm is refused.
    /// - `completed` counts one download, once per peer (a peer already seeding does not count again).
    public mutating func announce(_ request: AnnounceRequest, now: Double) throws(TrackerFailure) -> AnnounceResult {
        guard var swarm = swarms.removeValue(forKey: request.infoHash) else { throw .unknownInfoHash }
        defer { swarms[request.infoHash] = swarm }
        peerCount -= swarm.sweep(now: now, timeout: limits.peerTimeout)

        let key = PeerKey(id: request.peerID, webSocket: request.transport.isWebSocket)
        let existing = swarm.peer(key)
        if let existing, case .webSocket(let held) = existing.transport, request.transport.connection != held {
            throw TrackerFailure("peer_id already in use in this swarm")
        }
        let mayChange = existing.map { Self.mayChange($0, from: request) } ?? true
        var recorded = false
        if request.event == .stopped {
            if existing != nil, mayChange {
                swarm.remove(key)
                peerCount -= 1
            }
        } else if mayChange,
            existing != nil || (swarm.count < limits.maxPeersPerSwarm && peerCount < limits.maxTotalPeers)
        {
            if request.event == .completed, existing.map({ !$0.isSeeder }) ?? true { swarm.downloaded += 1 }
            if existing == nil { peerCount += 1 }
            let peer = Peer(
                id: request.peerID, transport: request.transport, left: request.left, uploaded: request.uploaded,
                downloaded: request.downloaded, key: request.key ?? existing?.key, lastSeen: now)
            swarm.upsert(peer, as: key)
            recorded = true
        }

        let wanted = request.event == .stopped ? 0 : limits.numwant(request.numwant)
        let peers = swarm.select(
            limit: wanted, webSocket: key.webSocket, excluding: key, endpoint: request.transport.endpoint,
            leechersOnly: request.left == 0)
        return AnnounceResult(complete: swarm.seeders, incomplete: swarm.leechers, peers: peers, recorded: recorded)
    }

    /// Same address, or the key the peer first announced with.
    private static func mayChange(_ peer: Peer, from request: AnnounceRequest) -> Bool {
        guard case .tcp(let old) = peer.transport, case .tcp(let new) = request.transport else { return true }
        return old.address == new.address || (peer.key != nil && peer.key == request.key)
    }

    /// BEP 48 numbers for the known hashes among `hashes`; unknown ones are left out.
    public mutating func scrape(_ hashes: some Sequence<InfoHash>, now: Double) -> [InfoHash: ScrapeStats] {
        var out: [InfoHash: ScrapeStats] = [:]
        for hash in hashes where out[hash] == nil {
            if let stats = stats(for: hash, now: now) { out[hash] = stats }
        }
        return out
    }

    /// BEP 48 numbers for one hash, or nil when it is not registered.
    public mutating func stats(for hash: InfoHash, now: Double) -> ScrapeStats? {
        guard var swarm = swarms.removeValue(forKey: hash) else { return nil }
        peerCount -= swarm.sweep(now: now, timeout: limits.peerTimeout)
        swarms[hash] = swarm
        return swarm.stats
    }

    /// The live peers of a swarm (both transports), for inspection; empty when unknown.
    public mutating func peers(in hash: InfoHash, now: Double) -> [Peer] {
        guard var swarm = swarms.removeValue(forKey: hash) else { return [] }
        peerCount -= swarm.sweep(now: now, timeout: limits.peerTimeout)
        swarms[hash] = swarm
        return swarm.peers
    }

    /// Forgets every peer that has not announced within `limits.peerTimeout`; returns how many. Call it
    /// periodically (say every minute); lookups also expire lazily, swarm by swarm.
    @discardableResult
    public mutating func expire(now: Double) -> Int {
        var removed = 0
        for hash in Array(swarms.keys) {
            removed += swarms[hash]!.sweep(now: now, timeout: limits.peerTimeout)
        }
        peerCount -= removed
        return removed
    }

    /// The connection of a WebSocket peer, if it is in the swarm.
    func webSocketConnection(of id: PeerID, in hash: InfoHash) -> Int? {
        swarms[hash]?.peer(PeerKey(id: id, webSocket: true))?.transport.connection
    }

    /// Removes a WebSocket peer, only if it still belongs to `connection`.
    mutating func removeWebSocketPeer(_ id: PeerID, connection: Int, from hash: InfoHash) {
        let key = PeerKey(id: id, webSocket: true)
        guard swarms[hash]?.peer(key)?.transport.connection == connection else { return }
        swarms[hash]!.remove(key)
        peerCount -= 1
    }
}
