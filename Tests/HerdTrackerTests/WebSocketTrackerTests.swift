import Testing

@testable import HerdTracker

/// A WebTorrent-speaking browser, for tests: builds the JSON frames bittorrent-tracker's client sends.
struct Browser {
    let connection: Int
    let peerID: PeerID
    var hash = Fixture.peerTubeHash

    func announce(
        left: JSONValue = .integer(1000), event: String? = nil, offers: Int = 0, numwant: Int? = nil,
        sdpLength: Int = 20
    ) -> String {
        var members: [(String, JSONValue)] = [
            ("action", .string("announce")), ("info_hash", .string(hash.binaryString)),
            ("peer_id", .string(peerID.binaryString)), ("uploaded", .integer(0)), ("downloaded", .integer(0)),
            ("left", left),
        ]
        if let event { members.append(("event", .string(event))) }
        members.append(("numwant", .integer(Int64(numwant ?? offers))))
        if offers > 0 {
            let list = (0..<offers).map { index in
                JSONValue.object([
                    (
                        "offer",
                        .object([("type", .string("offer")), ("sdp", .string(Self.sdp(index, length: sdpLength)))])
                    ),
                    ("offer_id", .string(Self.offerID(index))),
                ])
            }
            members.append(("offers", .array(list)))
        }
        return JSONValue.object(members).jsonText
    }

    func answer(to offerer: PeerID, offerID: String, sdp: String = "v=0 answer") -> String {
        JSONValue.object([
            ("action", .string("announce")), ("info_hash", .string(hash.binaryString)),
            ("peer_id", .string(peerID.binaryString)), ("to_peer_id", .string(offerer.binaryString)),
            ("answer", .object([("type", .string("answer")), ("sdp", .string(sdp))])),
            ("offer_id", .string(offerID)),
        ]).jsonText
    }

    static func sdp(_ index: Int, length: Int) -> String {
        let head = "v=0 offer \(index) "
        return head + String(repeating: "x", count: max(0, length - head.count))
    }

    /// 20 binary chars, including bytes that need escaping or are above 0x7F.
    static func offerID(_ index: Int) -> String {
        BinaryString.string([UInt8(index), 0x22, 0xFF, 0x0A] + Array(repeating: 0xE9, count: 16))
    }
}

@Suite("WebSocket tracker (WebTorrent protocol)")
struct WebSocketTrackerTests {
    static func tracker(_ limits: TrackerLimits = TrackerLimits()) -> Tracker {
        var tracker = Tracker(limits: limits)
        tracker.register(Fixture.peerTubeHash)
        return tracker
    }

    static func json(_ output: WebSocketTrackerOutput) throws -> (Int, JSONValue) {
        guard case .send(let connection, let text) = output else {
            Issue.record("expected a send, got \(output)")
            throw TrackerFailure("not a send")
        }
        return (connection, try JSONParser.parse(text))
    }

    @Test func offersAreRelayedAndAnswersRoutedBack() throws {
        var tracker = Self.tracker()
        let alice = Browser(connection: 1, peerID: Fixture.peerID(1))
        let bob = Browser(connection: 2, peerID: Fixture.peerID(2))

        let first = tracker.receive(alice.announce(event: "started", offers: 2), from: 1, now: 0)
        #expect(first.count == 1)  // nobody to relay to yet
        let (to, reply) = try Self.json(first[0])
        #expect(to == 1)
        #expect(
            reply
                == .object([
                    ("action", .string("announce")), ("interval", .integer(120)),
                    ("info_hash", .string(Fixture.peerTubeHash.binaryString)), ("complete", .integer(0)),
                    ("incomplete", .integer(1)),
                ]))

        let second = tracker.receive(bob.announce(left: .integer(0), event: "started", offers: 3), from: 2, now: 1)
        #expect(second.count == 2)
        let (replyTo, bobReply) = try Self.json(second[0])
        #expect(replyTo == 2)
        #expect(bobReply["complete"] == .integer(1))
        #expect(bobReply["incomplete"] == .integer(1))
        let (offerTo, offer) = try Self.json(second[1])
        #expect(offerTo == 1)
        #expect(
            offer
                == .object([
                    ("action", .string("announce")),
                    ("offer", .object([("type", .string("offer")), ("sdp", .string(Browser.sdp(0, length: 20)))])),
                    ("offer_id", .string(Browser.offerID(0))), ("peer_id", .string(bob.peerID.binaryString)),
                    ("info_hash", .string(Fixture.peerTubeHash.binaryString)),
                ]))

        // Alice answers Bob's offer: only Bob hears of it, with Alice's peer id; Alice gets no reply.
        let answered = tracker.receive(alice.answer(to: bob.peerID, offerID: Browser.offerID(0)), from: 1, now: 2)
        #expect(answered.count == 1)
        let (answerTo, answer) = try Self.json(answered[0])
        #expect(answerTo == 2)
        #expect(
            answer
                == .object([
                    ("action", .string("announce")),
                    ("answer", .object([("type", .string("answer")), ("sdp", .string("v=0 answer"))])),
                    ("offer_id", .string(Browser.offerID(0))), ("peer_id", .string(alice.peerID.binaryString)),
                    ("info_hash", .string(Fixture.peerTubeHash.binaryString)),
                ]))

        // An answer to a peer id nobody holds is dropped silently.
        let lost = tracker.receive(alice.answer(to: Fixture.peerID(99), offerID: Browser.offerID(0)), from: 1, now: 3)
        #expect(lost.isEmpty)
    }

    @Test func offersGoToDistinctPeersAndNeverBackToTheAnnouncer() throws {
        var tracker = Self.tracker()
        for n in 1...4 {
            _ = tracker.receive(Browser(connection: n, peerID: Fixture.peerID(n)).announce(), from: n, now: 0)
        }
        let fifth = Browser(connection: 5, peerID: Fixture.peerID(5))
        let outputs = tracker.receive(fifth.announce(offers: 10, numwant: 3), from: 5, now: 1)
        #expect(outputs.count == 4)
        let targets = try outputs.dropFirst().map { try Self.json($0).0 }
        #expect(Set(targets).count == 3)
        #expect(!targets.contains(5))
        let offerIDs = try outputs.dropFirst().map { try Self.json($0).1["offer_id"]?.string }
        #expect(offerIDs == [Browser.offerID(0), Browser.offerID(1), Browser.offerID(2)])
    }

    @Test func webSocketOffersNeverReachTCPPeers() throws {
        var tracker = Self.tracker()
        _ = tracker.httpAnnounce(
            query: Fixture.query(peer: Fixture.peerID(1)), remote: Fixture.address("10.0.0.1"), now: 0)
        let browser = Browser(connection: 2, peerID: Fixture.peerID(2))
        let outputs = tracker.receive(browser.announce(offers: 5), from: 2, now: 1)
        #expect(outputs.count == 1)
        #expect(try Self.json(outputs[0]).1["incomplete"] == .integer(2))
    }

    @Test func stoppedAndDisconnectCleanUp() throws {
        var tracker = Self.tracker()
        tracker.register(Fixture.otherHash)
        let alice = Browser(connection: 1, peerID: Fixture.peerID(1))
        var aliceOther = alice
        aliceOther.hash = Fixture.otherHash
        let bob = Browser(connection: 2, peerID: Fixture.peerID(2))
        _ = tracker.receive(alice.announce(), from: 1, now: 0)
        _ = tracker.receive(aliceOther.announce(), from: 1, now: 0)
        _ = tracker.receive(bob.announce(), from: 2, now: 0)
        #expect(tracker.swarms.peerCount == 3)

        let stopped = tracker.receive(bob.announce(event: "stopped"), from: 2, now: 1)
        #expect(try Self.json(stopped[0]).1["incomplete"] == .integer(1))
        #expect(tracker.swarms.peerCount == 2)

        tracker.disconnect(connection: 1)
        #expect(tracker.swarms.peerCount == 0)
        #expect(tracker.webSockets.connectionCount == 1)
        tracker.disconnect(connection: 1)
        tracker.disconnect(connection: 2)
        #expect(tracker.webSockets.connectionCount == 0)
    }

    @Test func failures() throws {
        var tracker = Self.tracker()
        var stranger = Browser(connection: 1, peerID: Fixture.peerID(1))
        stranger.hash = Fixture.otherHash
        let unknown = try Self.json(tracker.receive(stranger.announce(), from: 1, now: 0)[0]).1
        #expect(
            unknown
                == .object([
                    ("failure reason", .string("unknown info-hash")),
                    ("info_hash", .string(Fixture.otherHash.binaryString)), ("action", .string("announce")),
                ]))
        #expect(tracker.swarms.registeredCount == 1)

        let malformed = try Self.json(tracker.receive("{\"action\":\"announce\",", from: 1, now: 0)[0]).1
        #expect(malformed == .object([("failure reason", .string("invalid JSON"))]))

        let badAction = try Self.json(tracker.receive(#"{"action":"dance"}"#, from: 1, now: 0)[0]).1
        #expect(badAction["failure reason"] == .string("invalid action"))

        let hexHash = #"{"action":"announce","info_hash":"0f498834733e8057ed5c6f2ee2b4efd8d84a76ee","peer_id":"x"}"#
        let hex = try Self.json(tracker.receive(hexHash, from: 1, now: 0)[0]).1
        #expect(hex["failure reason"] == .string("invalid info_hash"))

        let alice = Browser(connection: 1, peerID: Fixture.peerID(1))
        let negative = try Self.json(tracker.receive(alice.announce(left: .integer(-1)), from: 1, now: 0)[0]).1
        #expect(negative["failure reason"] == .string("invalid announce numbers"))

        let hugeSDP = try Self.json(tracker.receive(alice.announce(offers: 1, sdpLength: 20_000), from: 1, now: 0)[0]).1
        #expect(hugeSDP["failure reason"] == .string("invalid offers"))

        // Answering before announcing in the swarm is refused.
        let early = try Self.json(
            tracker.receive(alice.answer(to: Fixture.peerID(2), offerID: Browser.offerID(0)), from: 1, now: 0)[0]
        ).1
        #expect(early["failure reason"] == .string("announce before answering"))
        #expect(tracker.swarms.peerCount == 0)
    }

    @Test func nullLeftIsALeecherAndPeerIDIsFixedPerSwarm() throws {
        var tracker = Self.tracker()
        let alice = Browser(connection: 1, peerID: Fixture.peerID(1))
        let reply = try Self.json(tracker.receive(alice.announce(left: .null), from: 1, now: 0)[0]).1
        #expect(reply["incomplete"] == .integer(1))
        let impostor = Browser(connection: 1, peerID: Fixture.peerID(2))
        let refused = try Self.json(tracker.receive(impostor.announce(), from: 1, now: 1)[0]).1
        #expect(refused["failure reason"] == .string("peer_id differs from this connection's earlier announce"))
        // Another connection cannot take over Alice's peer id in the swarm either.
        let thief = Browser(connection: 2, peerID: Fixture.peerID(1))
        let stolen = try Self.json(tracker.receive(thief.announce(), from: 2, now: 1)[0]).1
        #expect(stolen["failure reason"] == .string("peer_id already in use in this swarm"))
        #expect(tracker.swarms.peers(in: Fixture.peerTubeHash, now: 1).map(\.transport) == [.webSocket(connection: 1)])
    }

    @Test func oversizedMessageFailsAndCloses() throws {
        var tracker = Self.tracker()
        let alice = Browser(connection: 1, peerID: Fixture.peerID(1))
        _ = tracker.receive(alice.announce(), from: 1, now: 0)
        let outputs = tracker.receive(String(repeating: " ", count: 65_537), from: 1, now: 1)
        #expect(outputs.count == 2)
        #expect(try Self.json(outputs[0]).1["failure reason"] == .string("message too large"))
        #expect(outputs[1] == .close(connection: 1, reason: "message too large"))
        #expect(tracker.swarms.peerCount == 0)
        #expect(tracker.receive(alice.announce(), from: 1, now: 2).isEmpty)
    }

    @Test func rateLimitThenClose() throws {
        var tracker = Self.tracker(TrackerLimits(messageBurst: 5, messageRefillPerSecond: 1, maxRateLimitStrikes: 3))
        let alice = Browser(connection: 1, peerID: Fixture.peerID(1))
        for _ in 0..<5 {
            let outputs = tracker.receive(alice.announce(), from: 1, now: 0)
            #expect(try Self.json(outputs[0]).1["failure reason"] == nil)
        }
        let limited = tracker.receive(alice.announce(), from: 1, now: 0)
        #expect(try Self.json(limited[0]).1 == .object([("failure reason", .string("rate limited"))]))
        // A second later one token is back, and a good message clears the strikes.
        #expect(try Self.json(tracker.receive(alice.announce(), from: 1, now: 1)[0]).1["complete"] == .integer(0))
        #expect(try Self.json(tracker.receive(alice.announce(), from: 1, now: 1)[0]).1["failure reason"] != nil)
        #expect(try Self.json(tracker.receive(alice.announce(), from: 1, now: 1)[0]).1["failure reason"] != nil)
        #expect(tracker.receive(alice.announce(), from: 1, now: 1) == [.close(connection: 1, reason: "rate limited")])
        #expect(tracker.swarms.peerCount == 0)
        #expect(tracker.receive(alice.announce(), from: 1, now: 100).isEmpty)
    }

    @Test func swarmCountPerConnectionIsLimited() throws {
        var tracker = Tracker(limits: TrackerLimits(maxSwarmsPerConnection: 2))
        let hashes = (1...3).map { InfoHash(bytes: [UInt8](repeating: UInt8($0), count: 20))! }
        for hash in hashes { tracker.register(hash) }
        var outputs: [[WebSocketTrackerOutput]] = []
        for hash in hashes {
            var browser = Browser(connection: 1, peerID: Fixture.peerID(1))
            browser.hash = hash
            outputs.append(tracker.receive(browser.announce(), from: 1, now: 0))
        }
        #expect(try Self.json(outputs[1][0]).1["failure reason"] == nil)
        #expect(try Self.json(outputs[2][0]).1["failure reason"] == .string("too many swarms on this connection"))
        #expect(tracker.swarms.peerCount == 2)
        // Leaving one swarm makes room.
        var first = Browser(connection: 1, peerID: Fixture.peerID(1))
        first.hash = hashes[0]
        _ = tracker.receive(first.announce(event: "stopped"), from: 1, now: 1)
        var third = first
        third.hash = hashes[2]
        #expect(try Self.json(tracker.receive(third.announce(), from: 1, now: 1)[0]).1["failure reason"] == nil)
    }

    @Test func scrape() throws {
        var tracker = Self.tracker()
        _ = tracker.receive(
            Browser(connection: 1, peerID: Fixture.peerID(1)).announce(left: .integer(0), event: "completed"), from: 1,
            now: 0)
        _ = tracker.httpAnnounce(
            query: Fixture.query(peer: Fixture.peerID(2)), remote: Fixture.address("10.0.0.2"), now: 0)
        let one = JSONValue.object([
            ("action", .string("scrape")), ("info_hash", .string(Fixture.peerTubeHash.binaryString)),
        ]).jsonText
        let expected = JSONValue.object([
            ("action", .string("scrape")),
            (
                "files",
                .object([
                    (
                        Fixture.peerTubeHash.binaryString,
                        .object([
                            ("complete", .integer(1)), ("incomplete", .integer(1)), ("downloaded", .integer(1)),
                        ])
                    )
                ])
            ),
        ])
        #expect(try Self.json(tracker.receive(one, from: 3, now: 1)[0]).1 == expected)
        let many = JSONValue.object([
            ("action", .string("scrape")),
            (
                "info_hash",
                .array([.string(Fixture.peerTubeHash.binaryString), .string(Fixture.otherHash.binaryString)])
            ),
        ]).jsonText
        #expect(try Self.json(tracker.receive(many, from: 3, now: 1)[0]).1 == expected)
        let missing = try Self.json(tracker.receive(#"{"action":"scrape"}"#, from: 3, now: 1)[0]).1
        #expect(missing["failure reason"] == .string("missing info_hash"))
    }

    @Test func expiredBrowsersStopReceivingOffers() throws {
        var tracker = Self.tracker()
        _ = tracker.receive(Browser(connection: 1, peerID: Fixture.peerID(1)).announce(), from: 1, now: 0)
        #expect(tracker.expire(now: 271) == 1)
        let outputs = tracker.receive(
            Browser(connection: 2, peerID: Fixture.peerID(2)).announce(offers: 2), from: 2, now: 272)
        #expect(outputs.count == 1)
    }
}
