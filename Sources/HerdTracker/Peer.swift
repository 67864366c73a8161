/// How a peer is reached: over TCP at an endpoint (announced over HTTP), or only through a WebSocket connection to
/// this tracker, which relays WebRTC offers and answers (WebTorrent). Browser peers cannot accept TCP, and TCP
/// clients cannot answer WebRTC offers, so each protocol only ever sees its own kind.
public enum PeerTransport: Hashable, Sendable {
    case tcp(PeerEndpoint)
    case webSocket(connection: Int)

    public var endpoint: PeerEndpoint? {
        if case .tcp(let endpoint) = self { return endpoint }
        return nil
    }

    public var connection: Int? {
        if case .webSocket(let connection) = self { return connection }
        return nil
    }

    public var isWebSocket: Bool { connection != nil }
}

/// One peer in one swarm, as last announced.
public struct Peer: Hashable, Sendable {
    public var id: PeerID
    public var transport: PeerTransport
    /// Bytes still to download; `nil` when the client does not know yet (a WebTorrent client without metadata
    /// sends `null`), which counts as a leecher.
    public var left: Int64?
    public var uploaded: Int64
    public var downloaded: Int64
    /// The `key` parameter (HTTP): lets a client whose address changed keep its entry.
    public var key: String?
    public var lastSeen: Double

    public var isSeeder: Bool { left == 0 }
    public var endpoint: PeerEndpoint? { transport.endpoint }
}

/// A peer's slot in a swarm. TCP and WebSocket peers live in separate name spaces, so a hybrid client announcing
/// over both keeps two entries and neither protocol can overwrite the other's.
struct PeerKey: Hashable, Sendable {
    let id: PeerID
    let webSocket: Bool
}
