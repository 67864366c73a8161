/// What the connection handler should do after an input to `SeederSession`, in order.
public enum SeederAction: Sendable, Equatable {
    /// The peer's handshake named a torrent we seed; sent before our reply so the handler can count connections.
    case handshakeAccepted(infoHash: [UInt8])
    /// Write these bytes (one encoded handshake or message).
    case send([UInt8])
    /// The request queue went from empty to non-empty while unchoked: pull `nextBlockToSend()` until it returns nil
    /// (as fast as the uploader allows). Only a hint; it is not repeated while the queue stays non-empty.
    case blocksAvailable
    /// Close the connection; nothing else follows and later inputs are ignored.
    case close(reason: String)
}

/// Upload counters for one connection.
public struct SeederStatistics: Sendable, Equatable {
    /// Block bytes written (payload of `piece` messages, headers excluded).
    public var uploadedBytes: Int64 = 0
    public var blocksSent = 0
    public var requestsReceived = 0
    /// `reject request` messages sent (BEP 6).
    public var requestsRejected = 0
    /// Queued requests removed by a `cancel`.
    public var requestsCancelled = 0

    public init() {}
}
