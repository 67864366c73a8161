/// Every bound the tracker enforces, in one place. Times are seconds on the caller's monotonic clock.
public struct TrackerLimits: Sendable, Equatable {
    /// `interval` sent to clients (BEP 3): how long to wait between regular announces. WebSocket announces use it too.
    public var announceInterval: Double
    /// `min interval` sent to HTTP clients: they must not re-announce sooner, even when asking for more peers.
    public var minAnnounceInterval: Double
    /// A peer that has not announced for this long is forgotten (by `expire(now:)` or lazily, on the next look at
    /// its swarm). Defaults to two intervals plus 30 s, so one lost announce does not drop a peer.
    public var peerTimeout: Double
    /// Peers recorded per swarm. A new peer past it is still answered (it gets a peer list, its offers are relayed)
    /// but is not recorded, so it is neither counted nor handed out until a slot frees up.
    public var maxPeersPerSwarm: Int
    /// Peers recorded across all swarms; past it, new peers are answered but not recorded, as above.
    public var maxTotalPeers: Int
    /// Peers returned when the client does not send `numwant` (BEP 3).
    public var defaultNumwant: Int
    /// `numwant` is clamped to this.
    public var maxNumwant: Int
    /// Longest HTTP query string (after `?`) accepted, in bytes.
    public var maxQueryLength: Int
    /// Most info-hashes in one scrape (HTTP, BEP 48, or WebSocket).
    public var maxScrapeHashes: Int

    /// Longest WebSocket text message, in UTF-8 bytes. A longer one is answered with a failure and the connection
    /// is closed.
    public var maxMessageBytes: Int
    /// Token bucket per WebSocket connection: at most `messageBurst` messages at once, refilled at
    /// `messageRefillPerSecond`; by default 50 per 10 s.
    public var messageBurst: Double
    public var messageRefillPerSecond: Double
    /// Messages refused as rate limited, in a row, before the connection is closed.
    public var maxRateLimitStrikes: Int
    /// Distinct swarms one WebSocket connection may be in at once.
    public var maxSwarmsPerConnection: Int
    /// Offers relayed per announce (more are ignored), whatever `numwant` says.
    public var maxOffersPerAnnounce: Int
    /// Longest SDP in an offer or answer, in UTF-8 bytes.
    public var maxSDPBytes: Int

    public init(
        announceInterval: Double = 120,
        minAnnounceInterval: Double = 60,
        peerTimeout: Double? = nil,
        maxPeersPerSwarm: Int = 2_000,
        maxTotalPeers: Int = 100_000,
        defaultNumwant: Int = 30,
        maxNumwant: Int = 50,
        maxQueryLength: Int = 4_096,
        maxScrapeHashes: Int = 64,
        maxMessageBytes: Int = 65_536,
        messageBurst: Double = 50,
        messageRefillPerSecond: Double = 5,
        maxRateLimitStrikes: Int = 20,
        maxSwarmsPerConnection: Int = 32,
        maxOffersPerAnnounce: Int = 10,
        maxSDPBytes: Int = 16_384
    ) {
        self.announceInterval = announceInterval
        self.minAnnounceInterval = minAnnounceInterval
        self.peerTimeout = peerTimeout ?? 2 * announceInterval + 30
        self.maxPeersPerSwarm = maxPeersPerSwarm
        self.maxTotalPeers = maxTotalPeers
        self.defaultNumwant = defaultNumwant
        self.maxNumwant = maxNumwant
        self.maxQueryLength = maxQueryLength
        self.maxScrapeHashes = maxScrapeHashes
        self.maxMessageBytes = maxMessageBytes
        self.messageBurst = messageBurst
        self.messageRefillPerSecond = messageRefillPerSecond
        self.maxRateLimitStrikes = maxRateLimitStrikes
        self.maxSwarmsPerConnection = maxSwarmsPerConnection
        self.maxOffersPerAnnounce = maxOffersPerAnnounce
        self.maxSDPBytes = maxSDPBytes
    }

    /// `numwant` as asked, clamped to `0...maxNumwant`; `defaultNumwant` when absent.
    public func numwant(_ asked: Int?) -> Int {
        min(max(asked ?? defaultNumwant, 0), maxNumwant)
    }
}
