/// Per-connection policy for `SeederSession`. Times are seconds on the caller's monotonic clock.
public struct SeederLimits: Sendable, Equatable {
    /// Requests queued but not yet pulled by `nextBlockToSend()`; advertised as `reqq` in the extension handshake
    /// (BEP 10). libtorrent advertises 250 too.
    public var maxQueuedRequests: Int
    /// Largest block a peer may request. BEP 3 says clients use 16 KiB; like libtorrent we accept up to 128 KiB.
    /// Zero-length requests are always invalid.
    public var maxBlockLength: Int
    /// Close when no complete message arrived for this long (BEP 3 suggests two minutes).
    public var idleTimeout: Double
    /// Close when the peer has not completed its handshake this long after the connection started.
    public var handshakeTimeout: Double
    /// Send a keep-alive when nothing was sent for this long (BEP 3).
    public var keepAliveInterval: Double
    /// The decoder's length limit; raised automatically to fit the torrent's bitfield.
    public var maxMessageLength: Int
    /// Unchoke as soon as the peer is interested. Turn off to manage upload slots with `unchoke(now:)`.
    public var unchokeOnInterested: Bool
    /// Close once the peer turns out to have every piece: two seeds have nothing to trade (libtorrent does the same).
    public var closeWhenPeerIsSeed: Bool
    /// Seconds a request for a piece the swarm already holds is rejected before the seed serves it anyway
    /// (`SeederSession.swarmHolders`).
    public var deferToSwarm: Double
    /// After this many pieces the swarm failed to deliver in time, a peer is served without deferring.
    public var maxExpiredDeferrals: Int

    public init(
        maxQueuedRequests: Int = 250, maxBlockLength: Int = 128 * 1024, idleTimeout: Double = 120,
        handshakeTimeout: Double = 30, keepAliveInterval: Double = 90,
        maxMessageLength: Int = PeerWireDecoder.defaultMaxMessageLength, unchokeOnInterested: Bool = true,
        closeWhenPeerIsSeed: Bool = true, deferToSwarm: Double = 3,
        maxExpiredDeferrals: Int = 16
    ) {
        self.maxQueuedRequests = maxQueuedRequests
        self.maxBlockLength = maxBlockLength
        self.idleTimeout = idleTimeout
        self.handshakeTimeout = handshakeTimeout
        self.keepAliveInterval = keepAliveInterval
        self.maxMessageLength = maxMessageLength
        self.unchokeOnInterested = unchokeOnInterested
        self.closeWhenPeerIsSeed = closeWhenPeerIsSeed
        self.deferToSwarm = deferToSwarm
        self.maxExpiredDeferrals = maxExpiredDeferrals
    }
}
