import HerdCrypto

/// The peer-wire state machine for one incoming connection to a torrent we seed completely (BEP 3, with BEP 6 and
/// BEP 10). It does no I/O: feed it bytes and clock ticks, perform the `SeederAction`s it returns, and pull queued
/// requests with `nextBlockToSend()` at whatever rate the uploader allows. Times are seconds on a monotonic clock.
///
/// Conversation: the peer sends its handshake; if we seed that info-hash we answer with our handshake (BEP 10 and
/// BEP 6 bits set), a BEP 10 extension handshake when the peer set its BEP 10 bit, then `have all` when it set the
/// BEP 6 bit, else a full bitfield. (The extension handshake goes first, as libtorrent sends it.) An interested peer
/// is unchoked; its requests are checked against the torrent, queued, and served oldest first.
public struct SeederSession: Sendable {
    public typealias Lookup = @Sendable (_ infoHash: [UInt8]) -> SeededTorrent?

    public enum State: Sendable, Equatable {
        case awaitingHandshake
        case established
        case closed
    }

    public let localPeerID: [UInt8]
    public let limits: SeederLimits
    /// Our client name, sent as `v` in the extension handshake (BEP 10).
    public let clientVersion: String
    let lookup: Lookup

    public internal(set) var state: State = .awaitingHandshake
    public internal(set) var infoHash: [UInt8]?
    public internal(set) var torrent: SeededTorrent?
    public internal(set) var remoteHandshake: PeerHandshake?
    /// From the `v` key of the peer's extension handshake (BEP 10).
    public internal(set) var peerClientName: String?
    /// True while we refuse to serve the peer (BEP 3: connections start choked).
    public internal(set) var amChoking = true
    public internal(set) var peerInterested = false
    public internal(set) var peerChoking = true
    /// Pieces the peer says it has (bitfield, have, have all).
    public internal(set) var peerPieceCount = 0
    public internal(set) var statistics = SeederStatistics()
    /// How many peers of the swarm hold (or are being sent) a piece, this one included. When set (and BEP 6 is on),
    /// a block of a piece some other peer holds is rejected for `SeederLimits.deferToSwarm` seconds, so this peer
    /// takes it from the swarm and each piece leaves the seed about once; asked again after that, the seed serves it.
    public var swarmHolders: (@Sendable (Int) -> Int)?
    /// Called with a piece the swarm did not deliver: the peer still asked for it after its deferral ran out. The
    /// seeder uses it to stop counting seeds that are listed but no longer there.
    public var swarmMissed: (@Sendable (Int) -> Void)?
    /// Pieces this peer has been handed blocks of (counted in `swarmHolders` as its own).
    var servedPieces: Set<UInt32> = []
    /// When each piece was first deferred to the swarm for this peer, and the pieces it asked for again after that.
    var deferred: [UInt32: Double] = [:]
    var expiredDeferrals: Set<UInt32> = []
    /// Pieces left to the swarm that the peer still asked for after their deferral (served by the seed after all).
    public var swarmMisses: Int { expiredDeferrals.count }

    var decoder: PeerWireDecoder
    var queue: [BlockRequest] = []
    var peerPieces: [UInt8] = []
    let startedAt: Double
    var lastReceived: Double
    var lastSent: Double

    public init(
        localPeerID: [UInt8], limits: SeederLimits = SeederLimits(), clientVersion: String = "Herd", now: Double,
        lookup: @escaping Lookup
    ) {
        precondition(localPeerID.count == 20, "a peer id is 20 bytes")
        self.localPeerID = localPeerID
        self.limits = limits
        self.clientVersion = clientVersion
        self.lookup = lookup
        self.decoder = PeerWireDecoder(maxMessageLength: limits.maxMessageLength)
        self.startedAt = now
        self.lastReceived = now
        self.lastSent = now
    }

    /// BEP 6 is in use: we always offer it, so it is on when the peer offered it too.
    public var fastExtension: Bool { remoteHandshake?.supportsFastExtension ?? false }
    /// BEP 10 is in use.
    public var extensionProtocol: Bool { remoteHandshake?.supportsExtensionProtocol ?? false }
    public var peerIsSeed: Bool { torrent.map { peerPieceCount == $0.pieceCount } ?? false }
    public var queuedRequests: [BlockRequest] { queue }
    /// The peer's pieces as a bitfield (BEP 3 layout), from its bitfield, have, have all and have none messages.
    public var peerBitfield: [UInt8] { peerPieces }

    // MARK: Inputs

    /// Bytes from the socket, in any chunking.
    public mutating func received(_ bytes: some Collection<UInt8>, now: Double) -> [SeederAction] {
        guard state != .closed else { return [] }
        decoder.feed(bytes)
        var actions: [SeederAction] = []
        while state != .closed {
            let event: PeerWireEvent?
            do {
                event = try decoder.next()
            } catch {
                close(error.description, into: &actions)
                break
            }
            guard let event else { break }
            lastReceived = now
            switch event {
            case .handshake(let handshake): handle(handshake, into: &actions)
            case .message(let message): handle(message, into: &actions)
            }
        }
        return stamp(actions, now: now)
    }

    /// Clock tick (every few seconds): closes idle connections and sends keep-alives (BEP 3).
    public mutating func tick(now: Double) -> [SeederAction] {
        var actions: [SeederAction] = []
        switch state {
        case .closed:
            return []
        case .awaitingHandshake:
            if now - startedAt >= limits.handshakeTimeout {
                close("no handshake after \(limits.handshakeTimeout) s", into: &actions)
            }
        case .established:
            if now - lastReceived >= limits.idleTimeout {
                close("idle for \(limits.idleTimeout) s", into: &actions)
            } else if now - lastSent >= limits.keepAliveInterval {
                send(.keepAlive, into: &actions)
            }
        }
        return stamp(actions, now: now)
    }

    /// The handler closed the connection itself (socket error, shutdown); later inputs are ignored.
    public mutating func markClosed() {
        state = .closed
        queue.removeAll()
    }

    // MARK: Helpers

    mutating func send(_ message: PeerMessage, into actions: inout [SeederAction]) {
        actions.append(.send(message.encoded))
    }

    mutating func close(_ reason: String, into actions: inout [SeederAction]) {
        markClosed()
        actions.append(.close(reason: reason))
    }

    /// Notes when something was last written, for keep-alives.
    mutating func stamp(_ actions: [SeederAction], now: Double) -> [SeederAction] {
        if actions.contains(where: { if case .send = $0 { true } else { false } }) { lastSent = now }
        return actions
    }

    static func hex(_ bytes: [UInt8]) -> String { Digest.hex(bytes) }
}
