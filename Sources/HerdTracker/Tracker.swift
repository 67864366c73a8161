import HerdCore

/// Both trackers over one registry: put a single `Tracker` in an actor or a `Mutex` and route HTTP
/// `/announce` and `/scrape` and the WebSocket endpoint to it.
public struct Tracker: Sendable {
    public var swarms: Swarms
    public var webSockets = WebSocketTracker()

    public init(limits: TrackerLimits = TrackerLimits()) {
        swarms = Swarms(limits: limits)
    }

    public var limits: TrackerLimits {
        get { swarms.limits }
        set { swarms.limits = newValue }
    }

    @discardableResult
    public mutating func register(_ hash: InfoHash) -> Bool { swarms.register(hash) }

    @discardableResult
    public mutating func unregister(_ hash: InfoHash) -> Bool { swarms.unregister(hash) }

    public func isKnown(_ hash: InfoHash) -> Bool { swarms.isKnown(hash) }

    /// `GET /announce?<query>` → bencoded body for a 200 response (success or `failure reason`).
    public mutating func httpAnnounce(
        query: some StringProtocol, remote: PeerAddress, now: Double, acceptsClaimedAddress: Bool = false
    ) -> [UInt8] {
        swarms.httpAnnounce(query: query, remote: remote, now: now, acceptsClaimedAddress: acceptsClaimedAddress)
    }

    /// `GET /scrape?<query>` → bencoded body for a 200 response.
    public mutating func httpScrape(query: some StringProtocol, now: Double) -> [UInt8] {
        swarms.httpScrape(query: query, now: now)
    }

    /// One WebSocket text frame.
    public mutating func receive(_ text: String, from connection: Int, now: Double) -> [WebSocketTrackerOutput] {
        webSockets.receive(text, from: connection, now: now, swarms: &swarms)
    }

    /// A WebSocket connection went away.
    public mutating func disconnect(connection: Int) {
        webSockets.disconnect(connection: connection, swarms: &swarms)
    }

    /// Forgets peers that stopped announcing; returns how many. Call it every minute or so.
    @discardableResult
    public mutating func expire(now: Double) -> Int { swarms.expire(now: now) }
}
