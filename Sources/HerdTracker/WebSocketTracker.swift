/// The WebTorrent tracker protocol over WebSocket text frames, as bittorrent-tracker's server speaks it: browsers
/// announce with WebRTC offers, the tracker relays each offer to another browser peer of the swarm and relays the
/// answer back; it never hands out addresses.
///
/// State per connection: the peer id it uses in each swarm (fixed after its first announce there), a token bucket,
/// and a count of rate-limited messages in a row. Peers themselves live in the shared `Swarms`, passed in, so HTTP
/// and WebSocket announces see the same registry; WebSocket peers are only ever relayed to WebSocket peers.
///
/// Ids (`info_hash`, `peer_id`, `to_peer_id`, `offer_id`) must be 20-character binary strings (one char per
/// byte, U+0000–U+00FF); 40-hex spellings are refused.
public struct WebSocketTracker: Sendable {
    struct Connection: Sendable {
        var peers: [InfoHash: PeerID] = [:]
        var bucket: TokenBucket
        var strikes = 0
        var closed = false
    }

    private var connections: [Int: Connection] = [:]

    public init() {}

    /// Connections that have sent at least one message and not disconnected.
    public var connectionCount: Int { connections.count }

    /// Handles one text frame from `connection`; returns the frames to send (to it and to other peers) and maybe a
    /// request to close it.
    public mutating func receive(
        _ text: String, from connection: Int, now: Double, swarms: inout Swarms
    ) -> [WebSocketTrackerOutput] {
        let limits = swarms.limits
        var state = connections[connection] ?? Connection(bucket: TokenBucket(capacity: limits.messageBurst, now: now))
        guard !state.closed else { return [] }
        defer { connections[connection] = state }

        guard text.utf8.count <= limits.maxMessageBytes else {
            close(&state, connection: connection, swarms: &swarms)
            return [
                .send(connection: connection, text: failure("message too large")),
                .close(connection: connection, reason: "message too large"),
            ]
        }
        guard state.bucket.take(now: now, capacity: limits.messageBurst, rate: limits.messageRefillPerSecond) else {
            state.strikes += 1
            guard state.strikes < limits.maxRateLimitStrikes else {
                close(&state, connection: connection, swarms: &swarms)
                return [.close(connection: connection, reason: "rate limited")]
            }
            return [.send(connection: connection, text: failure("rate limited"))]
        }
        state.strikes = 0

        guard let message = try? JSONParser.parse(text), case .object = message else {
            return [.send(connection: connection, text: failure("invalid JSON"))]
        }
        switch message["action"]?.string {
        case "announce":
            return announce(message, connection: connection, state: &state, now: now, swarms: &swarms)
        case "scrape":
            return [.send(connection: connection, text: scrape(message, now: now, swarms: &swarms))]
        default:
            return [.send(connection: connection, text: failure("invalid action"))]
        }
    }

    /// Forgets a closed connection and removes its peers from every swarm. Safe to call more than once.
    public mutating func disconnect(connection: Int, swarms: inout Swarms) {
        guard var state = connections.removeValue(forKey: connection) else { return }
        close(&state, connection: connection, swarms: &swarms)
    }

    private func close(_ state: inout Connection, connection: Int, swarms: inout Swarms) {
        for (hash, id) in state.peers { swarms.removeWebSocketPeer(id, connection: connection, from: hash) }
        state.peers = [:]
        state.closed = true
    }

    private func failure(_ reason: String, action: String? = nil, infoHash: InfoHash? = nil) -> String {
        WebSocketMessage.failure(TrackerFailure(reason), action: action, infoHash: infoHash)
    }

    private mutating func announce(
        _ message: JSONValue, connection: Int, state: inout Connection, now: Double, swarms: inout Swarms
    ) -> [WebSocketTrackerOutput] {
        let limits = swarms.limits
        func fail(_ reason: String, _ hash: InfoHash? = nil) -> [WebSocketTrackerOutput] {
            [.send(connection: connection, text: failure(reason, action: "announce", infoHash: hash))]
        }
        guard let infoHash = BinaryString.twenty(message["info_hash"]).flatMap({ InfoHash(bytes: $0) }) else {
            return fail("invalid info_hash")
        }
        guard let peerID = BinaryString.twenty(message["peer_id"]).flatMap({ PeerID(bytes: $0) }) else {
            return fail("invalid peer_id", infoHash)
        }
        guard swarms.isKnown(infoHash) else { return fail(TrackerFailure.unknownInfoHash.reason, infoHash) }
        if let fixed = state.peers[infoHash], fixed != peerID {
            return fail("peer_id differs from this connection's earlier announce", infoHash)
        }

        // An answer to a relayed offer: forward it to the offerer, reply nothing (as bittorrent-tracker).
        if message["answer"] != nil {
            guard state.peers[infoHash] == peerID else { return fail("announce before answering", infoHash) }
            guard let answer = SessionDescription(message["answer"], type: "answer", maxSDPBytes: limits.maxSDPBytes),
                let offerID = BinaryString.twenty(message["offer_id"]),
                let to = BinaryString.twenty(message["to_peer_id"]).flatMap({ PeerID(bytes: $0) })
            else { return fail("invalid answer", infoHash) }
            guard let target = swarms.webSocketConnection(of: to, in: infoHash) else { return [] }
            let text = WebSocketMessage.answer(answer, offerID: offerID, from: peerID, infoHash: infoHash)
            return [.send(connection: target, text: text)]
        }

        if state.peers[infoHash] == nil, state.peers.count >= limits.maxSwarmsPerConnection {
            return fail("too many swarms on this connection", infoHash)
        }
        let event: AnnounceEvent
        switch message["event"] {
        case nil, .null, .string(""), .string("update"): event = .update
        case .string("started"): event = .started
        case .string("completed"): event = .completed
        case .string("stopped"): event = .stopped
        default: return fail("invalid event", infoHash)
        }
        func counter(_ name: String) -> Int64?? {
            switch message[name] {
            case nil, .null: .some(nil)
            case let value?: value.integer.flatMap { $0 >= 0 ? .some($0) : nil }
            }
        }
        guard let uploaded = counter("uploaded"), let downloaded = counter("downloaded"), let left = counter("left"),
            let numwant = counter("numwant")
        else { return fail("invalid announce numbers", infoHash) }

        var offers: [RelayedOffer] = []
        if let raw = message["offers"], !raw.isNull {
            guard let list = raw.array else { return fail("invalid offers", infoHash) }
            for item in list.prefix(limits.maxOffersPerAnnounce) {
                guard
                    let description = SessionDescription(
                        item["offer"], type: "offer", maxSDPBytes: limits.maxSDPBytes),
                    let offerID = BinaryString.twenty(item["offer_id"])
                else { return fail("invalid offers", infoHash) }
                offers.append(RelayedOffer(description: description, offerID: offerID))
            }
        }
        let wanted = min(offers.count, Int(clamping: numwant ?? Int64(offers.count)))

        let request = AnnounceRequest(
            infoHash: infoHash, peerID: peerID, transport: .webSocket(connection: connection),
            uploaded: uploaded ?? 0, downloaded: downloaded ?? 0, left: left, event: event, numwant: wanted)
        let result: AnnounceResult
        do {
            result = try swarms.announce(request, now: now)
        } catch {
            return fail(error.reason, infoHash)
        }
        state.peers[infoHash] = event == .stopped ? nil : peerID

        var outputs: [WebSocketTrackerOutput] = [
            .send(
                connection: connection,
                text: WebSocketMessage.announceReply(
                    infoHash: infoHash, result: result, interval: limits.announceInterval))
        ]
        for (peer, offer) in zip(result.peers, offers) {
            guard let target = peer.transport.connection else { continue }
            outputs.append(
                .send(connection: target, text: WebSocketMessage.offer(offer, from: peerID, infoHash: infoHash)))
        }
        return outputs
    }

    private func scrape(_ message: JSONValue, now: Double, swarms: inout Swarms) -> String {
        let limits = swarms.limits
        let raw: [JSONValue]
        switch message["info_hash"] {
        case .string(let one)?: raw = [.string(one)]
        case .array(let many)?: raw = many
        default: return failure("missing info_hash", action: "scrape")
        }
        guard !raw.isEmpty else { return failure("missing info_hash", action: "scrape") }
        guard raw.count <= limits.maxScrapeHashes else { return failure("too many info_hash", action: "scrape") }
        var hashes: [InfoHash] = []
        for value in raw {
            guard let hash = BinaryString.twenty(value).flatMap({ InfoHash(bytes: $0) }) else {
                return failure("invalid info_hash", action: "scrape")
            }
            hashes.append(hash)
        }
        return WebSocketMessage.scrapeReply(swarms.scrape(hashes, now: now))
    }
}
