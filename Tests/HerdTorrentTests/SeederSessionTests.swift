import HerdTorrent
import Synchronization
import Testing

@Suite("Seeder session (BEP 3, 6, 10)")
struct SeederSessionTests {
    static let infoHash = [UInt8](repeating: 0xAA, count: 20)
    static let otherHash = [UInt8](repeating: 0xBB, count: 20)
    static let ourID = Array("-HD0001-ourpeerid123".utf8)
    static let theirID = Array("-LT2000-theirpeerid1".utf8)
    /// 10 pieces of 32 KiB, the last one 1,000 bytes.
    static let torrent = SeededTorrent(pieceLength: 32_768, totalLength: 9 * 32_768 + 1_000)

    static func session(
        limits: SeederLimits = SeederLimits(), torrent: SeededTorrent = torrent, now: Double = 0
    ) -> SeederSession {
        SeederSession(localPeerID: ourID, limits: limits, now: now) { hash in hash == infoHash ? torrent : nil }
    }

    static func handshake(ext: Bool, fast: Bool, hash: [UInt8] = infoHash) -> [UInt8] {
        PeerHandshake(infoHash: hash, peerID: theirID, extensionProtocol: ext, fastExtension: fast).encoded
    }

    static let ourHandshake: [UInt8] =
        [19] + Array("BitTorrent protocol".utf8) + [0, 0, 0, 0, 0, 0x10, 0, 0x04] + infoHash + ourID

    /// A session past the handshake (and unchoked when `interested`), with the greeting checked elsewhere.
    static func established(
        fast: Bool, interested: Bool = true, limits: SeederLimits = SeederLimits(), torrent: SeededTorrent = torrent
    ) -> SeederSession {
        var session = session(limits: limits, torrent: torrent)
        _ = session.received(handshake(ext: false, fast: fast), now: 1)
        if interested { _ = session.received(PeerMessage.interested.encoded, now: 1) }
        return session
    }

    static func request(_ index: UInt32, _ begin: UInt32, _ length: UInt32) -> [UInt8] {
        PeerMessage.request(index: index, begin: begin, length: length).encoded
    }

    static func reject(_ index: UInt32, _ begin: UInt32, _ length: UInt32) -> SeederAction {
        .send(PeerMessage.rejectRequest(index: index, begin: begin, length: length).encoded)
    }

    static func isClose(_ actions: [SeederAction]) -> Bool {
        guard actions.count == 1, case .close = actions[0] else { return false }
        return true
    }

    @Test("BEP 6 + BEP 10 peer: our handshake, the extension handshake, then have all")
    func greetingFastExtended() {
        var session = Self.session()
        let actions = session.received(Self.handshake(ext: true, fast: true), now: 1)
        let payload = Array("d1:mde4:reqqi250e1:v4:Herde".utf8)
        #expect(
            actions == [
                .handshakeAccepted(infoHash: Self.infoHash), .send(Self.ourHandshake),
                .send([0, 0, 0, UInt8(payload.count + 2), 20, 0] + payload), .send([0, 0, 0, 1, 0x0E]),
            ])
        #expect(session.state == .established)
        #expect(session.fastExtension && session.extensionProtocol)
        #expect(session.amChoking)
    }

    @Test("plain BEP 3 peer: our handshake then a full bitfield with zeroed spare bits")
    func greetingPlain() {
        var session = Self.session()
        let actions = session.received(Self.handshake(ext: false, fast: false), now: 1)
        #expect(
            actions == [
                .handshakeAccepted(infoHash: Self.infoHash), .send(Self.ourHandshake),
                .send([0, 0, 0, 3, 5, 0xFF, 0xC0]),
            ])
        #expect(!session.fastExtension && !session.extensionProtocol)

        var eight = Self.session(torrent: SeededTorrent(pieceLength: 16_384, totalLength: 8 * 16_384))
        #expect(eight.received(Self.handshake(ext: false, fast: false), now: 1).last == .send([0, 0, 0, 2, 5, 0xFF]))
        var seventeen = Self.session(torrent: SeededTorrent(pieceLength: 16_384, totalLength: 16 * 16_384 + 1))
        #expect(
            seventeen.received(Self.handshake(ext: false, fast: false), now: 1).last
                == .send([0, 0, 0, 4, 5, 0xFF, 0xFF, 0x80]))
    }

    @Test("the greeting is the same whether the handshake arrives at once or byte by byte")
    func chunking() {
        let stream =
            Self.handshake(ext: true, fast: true) + PeerMessage.interested.encoded + Self.request(0, 0, 16_384)
            + Self.request(9, 0, 1_000)
        var whole = Self.session()
        let all = whole.received(stream, now: 1)
        var bytewise = Self.session()
        let pieces = stream.flatMap { bytewise.received([$0], now: 1) }
        #expect(all == pieces)
        #expect(all.count == 6)  // accepted, handshake, extension handshake, have all, unchoke, blocks available
        #expect(whole.queuedRequests == bytewise.queuedRequests)
        #expect(whole.queuedRequests.count == 2)
    }

    @Test("interested unchokes once; requests are served oldest first and counted")
    func serving() throws {
        var session = Self.established(fast: false, interested: false)
        #expect(session.received(PeerMessage.interested.encoded, now: 2) == [.send([0, 0, 0, 1, 1])])
        #expect(!session.amChoking && session.peerInterested)
        #expect(session.received(PeerMessage.interested.encoded, now: 2) == [])

        let first = session.received(Self.request(0, 0, 16_384), now: 3)
        #expect(first == [.blocksAvailable])
        #expect(session.received(Self.request(0, 16_384, 16_384) + Self.request(9, 0, 1_000), now: 3) == [])
        #expect(session.received(Self.request(0, 0, 16_384), now: 3) == [])  // duplicate, ignored
        #expect(session.queuedRequests.count == 3)

        let aPulled = session.nextBlockToSend()
        let a = try #require(aPulled)
        #expect(a == BlockRequest(index: 0, begin: 0, length: 16_384))
        session.blockSent(a, bytes: 16_384, now: 4)
        let bPulled = session.nextBlockToSend()
        let b = try #require(bPulled)
        #expect(b == BlockRequest(index: 0, begin: 16_384, length: 16_384))
        session.blockSent(b, bytes: 16_384, now: 4)
        let cPulled = session.nextBlockToSend()
        let c = try #require(cPulled)
        #expect(c == BlockRequest(index: 9, begin: 0, length: 1_000))
        #expect(Self.torrent.fileOffset(of: c) == 294_912)
        session.blockSent(c, bytes: 1_000, now: 4)
        #expect(session.nextBlockToSend() == nil)
        #expect(session.statistics.uploadedBytes == 33_768)
        #expect(session.statistics.blocksSent == 3)
        #expect(session.statistics.requestsReceived == 4)
        #expect(session.statistics.requestsRejected == 0)

        // A new request after the queue drained announces itself again.
        #expect(session.received(Self.request(1, 0, 16_384), now: 5) == [.blocksAvailable])
    }

    @Test("requests while choked are rejected with BEP 6 and dropped without it")
    func chokedRequests() {
        var plain = Self.established(fast: false, interested: false)
        #expect(plain.received(Self.request(0, 0, 16_384), now: 2) == [])
        #expect(plain.queuedRequests.isEmpty && plain.state == .established)
        #expect(plain.nextBlockToSend() == nil)

        var fast = Self.established(fast: true, interested: false)
        #expect(fast.received(Self.request(0, 0, 16_384), now: 2) == [Self.reject(0, 0, 16_384)])
        #expect(fast.statistics.requestsRejected == 1)
    }

    @Test(
        "invalid requests: past the last piece's end, past the torrent, zero or oversized length",
        arguments: [
            (UInt32(9), UInt32(0), UInt32(1_001)), (9, 1_000, 1), (9, 984, 17), (10, 0, 16), (UInt32.max, 0, 16),
            (0, 0, 0), (0, 16_384, 16_385), (0, UInt32.max, 16),
        ] as [(UInt32, UInt32, UInt32)])
    func invalidRequests(index: UInt32, begin: UInt32, length: UInt32) {
        let limits = SeederLimits(maxBlockLength: 16_384)
        var fast = Self.established(fast: true, limits: limits)
        #expect(fast.received(Self.request(index, begin, length), now: 2) == [Self.reject(index, begin, length)])
        #expect(fast.state == .established && fast.queuedRequests.isEmpty)

        var plain = Self.established(fast: false, limits: limits)
        #expect(Self.isClose(plain.received(Self.request(index, begin, length), now: 2)))
        #expect(plain.state == .closed)
        #expect(plain.received(PeerMessage.interested.encoded, now: 3) == [])
    }

    @Test("the last piece's real size is accepted; 128 KiB blocks are accepted by default")
    func validEdges() {
        var session = Self.established(fast: false)
        #expect(session.received(Self.request(9, 984, 16), now: 2) == [.blocksAvailable])
        #expect(session.received(Self.request(9, 0, 1_000), now: 2) == [])
        #expect(session.state == .established)

        #expect(SeederLimits().maxBlockLength == 131_072)
        let big = SeededTorrent(pieceLength: 262_144, totalLength: 1 << 20)
        var fast = Self.established(fast: true, torrent: big)
        #expect(fast.received(Self.request(0, 0, 131_072), now: 2) == [.blocksAvailable])
        #expect(fast.received(Self.request(1, 0, 131_073), now: 2) == [Self.reject(1, 0, 131_073)])
    }

    @Test("a full request queue rejects with BEP 6 and closes without it")
    func queueDepth() {
        let limits = SeederLimits(maxQueuedRequests: 3)
        var fast = Self.established(fast: true, limits: limits)
        for begin in [0, 16_384] as [UInt32] { _ = fast.received(Self.request(0, begin, 16_384), now: 2) }
        #expect(fast.received(Self.request(1, 0, 16_384), now: 2) == [])
        #expect(fast.received(Self.request(1, 16_384, 16_384), now: 2) == [Self.reject(1, 16_384, 16_384)])
        #expect(fast.queuedRequests.count == 3)
        _ = fast.nextBlockToSend()
        #expect(fast.received(Self.request(1, 16_384, 16_384), now: 2) == [])
        #expect(fast.queuedRequests.count == 3)

        var plain = Self.established(fast: false, limits: limits)
        for begin in [0, 16_384] as [UInt32] { _ = plain.received(Self.request(0, begin, 16_384), now: 2) }
        _ = plain.received(Self.request(1, 0, 16_384), now: 2)
        #expect(Self.isClose(plain.received(Self.request(1, 16_384, 16_384), now: 2)))
    }

    @Test("cancel removes a queued request, with a reject under BEP 6")
    func cancel() {
        let cancel = PeerMessage.cancel(index: 0, begin: 0, length: 16_384).encoded
        var fast = Self.established(fast: true)
        _ = fast.received(Self.request(0, 0, 16_384) + Self.request(0, 16_384, 16_384), now: 2)
        #expect(fast.received(cancel, now: 2) == [Self.reject(0, 0, 16_384)])
        #expect(fast.queuedRequests == [BlockRequest(index: 0, begin: 16_384, length: 16_384)])
        #expect(fast.received(cancel, now: 2) == [])  // nothing left to cancel
        #expect(fast.statistics.requestsCancelled == 1)

        var plain = Self.established(fast: false)
        _ = plain.received(Self.request(0, 0, 16_384), now: 2)
        #expect(plain.received(cancel, now: 2) == [])
        #expect(plain.queuedRequests.isEmpty)
        #expect(plain.nextBlockToSend() == nil)

        // A block already pulled for sending is not cancelled: its piece answers the cancel.
        var sending = Self.established(fast: true)
        _ = sending.received(Self.request(0, 0, 16_384), now: 2)
        #expect(sending.nextBlockToSend() != nil)
        #expect(sending.received(cancel, now: 2) == [])
    }

    @Test("an unknown info-hash or a bad protocol string closes without sending anything")
    func refusedHandshakes() {
        var unknown = Self.session()
        let actions = unknown.received(Self.handshake(ext: true, fast: true, hash: Self.otherHash), now: 1)
        #expect(actions == [.close(reason: "unknown info-hash " + String(repeating: "bb", count: 20))])
        #expect(unknown.state == .closed)
        #expect(unknown.received(PeerMessage.interested.encoded, now: 2) == [])

        var http = Self.session()
        #expect(Self.isClose(http.received(Array("GET /announce HTTP/1.1\r\n".utf8), now: 1)))

        var ourselves = SeederSession(localPeerID: Self.theirID, now: 0) { _ in Self.torrent }
        #expect(Self.isClose(ourselves.received(Self.handshake(ext: false, fast: false), now: 1)))
    }

    @Test(
        "garbage after the handshake closes the connection",
        arguments: [
            [0, 0, 0, 4, 4, 0, 0, 0],  // have with 3 bytes
            [0, 1, 0, 0, 0],  // 65,536-byte message
            [0, 0, 0, 10, 7, 0, 0, 0, 0, 0, 0, 0, 0, 1],  // a piece, sent to a seed
            [0, 0, 0, 5, 4, 0, 0, 0, 10],  // have past the last piece
            [0, 0, 0, 1, 0x0E],  // have all without BEP 6
            [0, 0, 0, 5, 0x11, 0, 0, 0, 1],  // allowed fast without BEP 6
        ] as [[UInt8]])
    func garbage(bytes: [UInt8]) {
        var session = Self.established(fast: false)
        #expect(Self.isClose(session.received(bytes, now: 2)))
        #expect(session.state == .closed)
    }

    @Test("unknown ids, ports, extension messages and keep-alives are ignored")
    func ignored() {
        var session = Self.established(fast: false)
        let stream =
            PeerMessage.unknown(id: 0x42, payload: [1, 2, 3]).encoded + PeerMessage.port(6881).encoded
            + PeerMessage.extended(id: 0, payload: Array("d1:md6:ut_pexi1ee1:v13:qBittorrent/5e".utf8)).encoded
            + PeerMessage.extended(id: 7, payload: [0xFF]).encoded + PeerMessage.keepAlive.encoded
            + PeerMessage.choke.encoded + PeerMessage.unchoke.encoded + PeerMessage.notInterested.encoded
        #expect(session.received(stream, now: 2) == [])
        #expect(session.state == .established)
        #expect(session.peerClientName == "qBittorrent/5")
        #expect(!session.peerInterested)
    }

    @Test("the peer's availability: bitfield checks, have, and closing when it is a seed too")
    func peerAvailability() {
        var spare = Self.established(fast: false, interested: false)
        #expect(Self.isClose(spare.received(PeerMessage.bitfield([0xFF, 0xC1]).encoded, now: 2)))
        var short = Self.established(fast: false, interested: false)
        #expect(Self.isClose(short.received(PeerMessage.bitfield([0xFF]).encoded, now: 2)))

        var partial = Self.established(fast: false, interested: false)
        #expect(partial.received(PeerMessage.bitfield([0xF0, 0x00]).encoded, now: 2) == [])
        #expect(partial.peerPieceCount == 4 && !partial.peerIsSeed)
        #expect(partial.received(PeerMessage.have(index: 0).encoded + PeerMessage.have(index: 9).encoded, now: 2) == [])
        #expect(partial.peerPieceCount == 5)
        // A later bitfield (aria2 sends one after `have none`) replaces what we knew.
        #expect(partial.received(PeerMessage.bitfield([0xF0, 0x00]).encoded, now: 2) == [])
        #expect(partial.peerPieceCount == 4)

        var seed = Self.established(fast: false, interested: false)
        #expect(
            seed.received(PeerMessage.bitfield([0xFF, 0xC0]).encoded, now: 2) == [.close(reason: "peer is a seed too")])

        var fastSeed = Self.established(fast: true, interested: false)
        #expect(Self.isClose(fastSeed.received(PeerMessage.haveAll.encoded, now: 2)))
        var empty = Self.established(fast: true, interested: false)
        #expect(empty.received(PeerMessage.haveNone.encoded, now: 2) == [])
        #expect(empty.peerPieceCount == 0)

        var tolerant = Self.established(
            fast: false, interested: false, limits: SeederLimits(closeWhenPeerIsSeed: false))
        #expect(tolerant.received(PeerMessage.bitfield([0xFF, 0xC0]).encoded, now: 2) == [])
        #expect(tolerant.peerIsSeed)
    }

    @Test("a torrent with more pieces than the default limit fits still takes the peer's bitfield")
    func bigBitfield() {
        let pieces = 1 << 20
        let torrent = SeededTorrent(pieceLength: 16_384, totalLength: Int64(pieces) * 16_384)
        var session = Self.established(fast: false, interested: false, torrent: torrent)
        var bits = [UInt8](repeating: 0, count: pieces / 8)
        bits[0] = 0x80
        #expect(session.received(PeerMessage.bitfield(bits).encoded, now: 2) == [])
        #expect(session.peerPieceCount == 1)
    }

    @Test("keep-alives after 90 s of silence on our side, close after 120 s of silence on theirs")
    func timers() {
        var session = Self.session(now: 0)
        _ = session.received(Self.handshake(ext: false, fast: false), now: 0)
        #expect(session.tick(now: 60) == [])
        #expect(session.tick(now: 90) == [.send([0, 0, 0, 0])])
        #expect(session.tick(now: 100) == [])
        #expect(session.received(PeerMessage.keepAlive.encoded, now: 100) == [])
        #expect(session.tick(now: 179) == [])
        #expect(session.tick(now: 180) == [.send([0, 0, 0, 0])])
        #expect(session.tick(now: 219) == [])
        #expect(session.tick(now: 220) == [.close(reason: "idle for 120.0 s")])
        #expect(session.tick(now: 300) == [])

        // Sending a block counts as sending.
        var busy = Self.established(fast: false)
        _ = busy.received(Self.request(0, 0, 16_384), now: 50)
        let block = busy.nextBlockToSend()!
        busy.blockSent(block, bytes: 16_384, now: 60)
        #expect(busy.tick(now: 149) == [])
        #expect(busy.tick(now: 150) == [.send([0, 0, 0, 0])])

        // A partial message does not keep the connection alive.
        var slow = Self.session(now: 0)
        #expect(slow.received(Self.handshake(ext: false, fast: false).prefix(67), now: 20) == [])
        #expect(slow.tick(now: 29) == [])
        #expect(slow.tick(now: 30) == [.close(reason: "no handshake after 30.0 s")])
    }

    @Test("choking drops queued requests (rejected under BEP 6); unchoke resumes")
    func chokeUnchoke() {
        var fast = Self.established(fast: true)
        _ = fast.received(Self.request(0, 0, 16_384) + Self.request(1, 0, 16_384), now: 2)
        #expect(
            fast.choke(now: 3) == [.send([0, 0, 0, 1, 0]), Self.reject(0, 0, 16_384), Self.reject(1, 0, 16_384)])
        #expect(fast.nextBlockToSend() == nil && fast.amChoking)
        #expect(fast.choke(now: 3) == [])
        #expect(fast.unchoke(now: 4) == [.send([0, 0, 0, 1, 1])])

        let manual = SeederLimits(unchokeOnInterested: false)
        var slots = Self.established(fast: false, limits: manual)
        #expect(slots.amChoking && slots.peerInterested)
        #expect(slots.unchoke(now: 2) == [.send([0, 0, 0, 1, 1])])
    }

    @Test("a block that cannot be read is rejected under BEP 6 and closes the connection without it")
    func blockFailed() throws {
        var fast = Self.established(fast: true)
        _ = fast.received(Self.request(2, 0, 16_384), now: 2)
        let requestPulled = fast.nextBlockToSend()
        let request = try #require(requestPulled)
        #expect(fast.blockFailed(request, now: 3) == [Self.reject(2, 0, 16_384)])
        #expect(fast.state == .established)

        var plain = Self.established(fast: false)
        _ = plain.received(Self.request(2, 0, 16_384), now: 2)
        let otherPulled = plain.nextBlockToSend()
        let other = try #require(otherPulled)
        #expect(Self.isClose(plain.blockFailed(other, now: 3)))
    }

    @Test("pieces the swarm holds are left to the swarm for a while (BEP 6 rejects), then served when asked again")
    func deferToSwarm() {
        var session = Self.established(fast: true)
        session.swarmHolders = { $0 == 2 ? 1 : 0 }  // another peer holds piece 2
        _ = session.received(Self.request(0, 0, 16_384), now: 2)
        #expect(session.nextBlockToSend() == BlockRequest(index: 0, begin: 0, length: 16_384))
        #expect(session.received(Self.request(2, 0, 16_384), now: 2) == [Self.reject(2, 0, 16_384)])
        #expect(session.received(Self.request(2, 16_384, 16_384), now: 4) == [Self.reject(2, 16_384, 16_384)])
        #expect(session.nextBlockToSend() == nil)
        // Still asking 3 s after the first refusal: the swarm did not deliver, so the seed does.
        #expect(session.received(Self.request(2, 0, 16_384), now: 5.5) == [.blocksAvailable])
        #expect(session.nextBlockToSend() == BlockRequest(index: 2, begin: 0, length: 16_384))
        // Requests queued before the swarm had the piece are left to it when their turn comes.
        var queued = Self.established(fast: true)
        var holders = 0
        _ = queued.received(Self.request(3, 0, 16_384) + Self.request(4, 0, 16_384), now: 2)
        var rejects: [SeederAction] = []
        #expect(queued.nextBlockToSend(now: 2, rejecting: &rejects) == BlockRequest(index: 3, begin: 0, length: 16_384))
        holders = 1  // piece 4 is now being sent to another peer
        let counted = holders
        queued.swarmHolders = { $0 == 4 ? counted : 1 }  // piece 3: only this peer (being served)
        _ = queued.received(Self.request(3, 16_384, 16_384), now: 2)
        #expect(
            queued.nextBlockToSend(now: 2, rejecting: &rejects) == BlockRequest(index: 3, begin: 16_384, length: 16_384)
        )
        #expect(queued.nextBlockToSend(now: 2, rejecting: &rejects) == nil)
        #expect(rejects == [Self.reject(4, 0, 16_384)])
        // A peer the swarm keeps failing (the holders are gone, or choke it) is soon served without waiting.
        var stranded = Self.established(fast: true, limits: SeederLimits(maxExpiredDeferrals: 2))
        stranded.swarmHolders = { _ in 1 }
        let missed = Mutex<[Int]>([])
        stranded.swarmMissed = { piece in missed.withLock { $0.append(piece) } }
        for piece in UInt32(5)...7 {
            #expect(stranded.received(Self.request(piece, 0, 16_384), now: 2) == [Self.reject(piece, 0, 16_384)])
        }
        #expect(stranded.received(Self.request(5, 0, 16_384), now: 6) == [.blocksAvailable])
        #expect(stranded.received(Self.request(6, 0, 16_384), now: 6) == [])
        // Two expired: piece 7, still within its window, is served at once.
        #expect(stranded.received(Self.request(7, 0, 16_384), now: 3) == [])
        #expect(stranded.queuedRequests.map(\.index) == [5, 6, 7])
        #expect(missed.withLock { $0 } == [5, 6])  // reported once each, so listed seeds that are gone stop counting
        // Without the fast extension a request cannot be refused politely: everything is served.
        var plain = Self.established(fast: false)
        plain.swarmHolders = { _ in 2 }
        #expect(plain.received(Self.request(2, 0, 16_384), now: 2) == [.blocksAvailable])
    }
}
