import HerdBencode
import Testing

@testable import HerdTracker

@Suite("HTTP announce answers (BEP 3, 23, 7)")
struct HTTPAnnounceResponseTests {
    /// A swarm with the PeerTube hash registered and three TCP peers: a seeder (1) and two leechers (2, 3, one
    /// on IPv6).
    static func populated() -> Swarms {
        var swarms = Swarms()
        swarms.register(Fixture.peerTubeHash)
        _ = swarms.httpAnnounce(
            query: Fixture.query(peer: Fixture.peerID(1), port: 6881, left: 0), remote: Fixture.address("10.0.0.1"),
            now: 0)
        _ = swarms.httpAnnounce(
            query: Fixture.query(peer: Fixture.peerID(2), port: 6882), remote: Fixture.address("10.0.0.2"), now: 1)
        _ = swarms.httpAnnounce(
            query: Fixture.query(peer: Fixture.peerID(3), port: 6883), remote: Fixture.address("2001:db8::3"), now: 2)
        return swarms
    }

    @Test func compactResponseDecodesFieldByField() throws {
        var swarms = Self.populated()
        let body = swarms.httpAnnounce(
            query: Fixture.query(peer: Fixture.peerID(4), port: 7000), remote: Fixture.address("10.0.0.4"), now: 3)
        let answer = try Fixture.decode(body)
        #expect(answer["failure reason"] == nil)
        #expect(answer["interval"]?.integer == 120)
        #expect(answer["min interval"]?.integer == 60)
        #expect(answer["complete"]?.integer == 1)
        #expect(answer["incomplete"]?.integer == 3)
        let peers = try #require(answer["peers"]?.bytes)
        #expect(peers.count == 12)
        let endpoints = Set(stride(from: 0, to: peers.count, by: 6).map { PeerEndpoint(compact: peers[$0..<$0 + 6])! })
        let expected: Set = [Fixture.endpoint("10.0.0.1", 6881), Fixture.endpoint("10.0.0.2", 6882)]
        #expect(endpoints == expected)
        let peers6 = try #require(answer["peers6"]?.bytes)
        #expect(PeerEndpoint(compact: peers6) == Fixture.endpoint("2001:db8::3", 6883))
    }

    @Test func nonCompactResponseListsDictionaries() throws {
        var swarms = Self.populated()
        let body = swarms.httpAnnounce(
            query: Fixture.query(peer: Fixture.peerID(4), port: 7000, extra: "&compact=0"),
            remote: Fixture.address("10.0.0.4"), now: 3)
        let answer = try Fixture.decode(body)
        let list = try #require(answer["peers"]?.list)
        #expect(list.count == 3)
        #expect(answer["peers6"] == nil)
        let byIP = Dictionary(uniqueKeysWithValues: list.map { ($0["ip"]!.text!, $0) })
        #expect(byIP["10.0.0.1"]?["port"]?.integer == 6881)
        #expect(byIP["10.0.0.1"]?["peer id"]?.bytes == Fixture.peerID(1).bytes)
        #expect(byIP["2001:db8::3"]?["port"]?.integer == 6883)
        #expect(byIP["2001:db8::3"]?["peer id"]?.bytes == Fixture.peerID(3).bytes)

        let withoutIDs = try Fixture.decode(
            swarms.httpAnnounce(
                query: Fixture.query(peer: Fixture.peerID(4), port: 7000, extra: "&compact=0&no_peer_id=1"),
                remote: Fixture.address("10.0.0.4"), now: 4))
        let entries = try #require(withoutIDs["peers"]?.list)
        #expect(entries.count == 3)
        #expect(entries.allSatisfy { $0["peer id"] == nil && $0["ip"] != nil && $0["port"] != nil })
    }

    @Test func askerIsNeverInItsOwnList() throws {
        var swarms = Self.populated()
        // Peer 2 again: it must see 1 and 3, not itself.
        let answer = try Fixture.decode(
            swarms.httpAnnounce(
                query: Fixture.query(peer: Fixture.peerID(2), port: 6882, extra: "&compact=0"),
                remote: Fixture.address("10.0.0.2"), now: 5))
        let ids = Set(try #require(answer["peers"]?.list).compactMap { $0["peer id"]?.bytes })
        let expected: Set = [Fixture.peerID(1).bytes, Fixture.peerID(3).bytes]
        #expect(ids == expected)
        // A fresh peer id on the same endpoint as peer 1 (a restarted client) does not get peer 1's entry.
        let restarted = try Fixture.decode(
            swarms.httpAnnounce(
                query: Fixture.query(peer: Fixture.peerID(9), port: 6881, extra: "&compact=0"),
                remote: Fixture.address("10.0.0.1"), now: 6))
        let ports = Set(try #require(restarted["peers"]?.list).compactMap { $0["port"]?.integer })
        #expect(ports == [6882, 6883])
    }

    @Test func seedersOnlyGetLeechers() throws {
        var swarms = Self.populated()
        let answer = try Fixture.decode(
            swarms.httpAnnounce(
                query: Fixture.query(peer: Fixture.peerID(5), port: 7000, left: 0, extra: "&compact=0"),
                remote: Fixture.address("10.0.0.5"), now: 3))
        let ids = Set(try #require(answer["peers"]?.list).compactMap { $0["peer id"]?.bytes })
        let expected: Set = [Fixture.peerID(2).bytes, Fixture.peerID(3).bytes]
        #expect(ids == expected)
        #expect(answer["complete"]?.integer == 2)
        #expect(answer["incomplete"]?.integer == 2)
    }

    @Test func failureBodies() throws {
        var swarms = Swarms()
        let unknown = try Fixture.decode(
            swarms.httpAnnounce(
                query: Fixture.query(peer: Fixture.peerID(1)), remote: Fixture.address("10.0.0.1"), now: 0))
        #expect(unknown == .dict([("failure reason", .string("unknown info-hash"))]))
        #expect(swarms.registeredCount == 0)
        #expect(swarms.peerCount == 0)
        let malformed = try Fixture.decode(
            swarms.httpAnnounce(query: "info_hash=abc", remote: Fixture.address("10.0.0.1"), now: 0))
        #expect(malformed["failure reason"]?.text == "info_hash must be 20 bytes")
        #expect(
            String(decoding: HTTPAnnounce.failure(TrackerFailure("invalid port")), as: UTF8.self)
                == "d14:failure reason12:invalid porte")
    }

    @Test func numwantIsClamped() throws {
        var swarms = Swarms()
        swarms.register(Fixture.peerTubeHash)
        for n in 1...60 {
            _ = swarms.httpAnnounce(
                query: Fixture.query(peer: Fixture.peerID(n), port: 1000 + n), remote: Fixture.address("10.0.1.\(n)"),
                now: 0)
        }
        #expect(swarms.peerCount == 60)
        func count(_ extra: String) throws -> Int {
            let answer = try Fixture.decode(
                swarms.httpAnnounce(
                    query: Fixture.query(peer: Fixture.peerID(100), port: 9000, extra: extra),
                    remote: Fixture.address("10.0.2.1"), now: 1))
            return (answer["peers"]?.bytes?.count ?? -6) / 6
        }
        #expect(try count("") == 30)
        #expect(try count("&numwant=10") == 10)
        #expect(try count("&numwant=500") == 50)
        #expect(try count("&numwant=0") == 0)
    }

    @Test func successiveAnnouncesRotateThroughTheSwarm() throws {
        var swarms = Swarms()
        swarms.register(Fixture.peerTubeHash)
        for n in 1...6 {
            _ = swarms.httpAnnounce(
                query: Fixture.query(peer: Fixture.peerID(n), port: 1000 + n), remote: Fixture.address("10.0.1.\(n)"),
                now: 0)
        }
        var seen: Set<[UInt8]> = []
        for round in 0..<3 {
            let answer = try Fixture.decode(
                swarms.httpAnnounce(
                    query: Fixture.query(peer: Fixture.peerID(100), port: 9000, extra: "&numwant=2"),
                    remote: Fixture.address("10.0.2.1"), now: Double(round)))
            let peers = try #require(answer["peers"]?.bytes)
            #expect(peers.count == 12)
            seen.formUnion(stride(from: 0, to: 12, by: 6).map { Array(peers[$0..<$0 + 6]) })
        }
        #expect(seen.count == 6)
    }
}
