import Testing

@testable import HerdTracker

@Suite("HTTP announce query parsing (BEP 3)")
struct HTTPAnnounceParseTests {
    let remote = Fixture.address("203.0.113.9")

    @Test func realLookingQuery() throws {
        #expect(Fixture.percentEncode(Fixture.peerTubeHash.bytes) == Fixture.peerTubeHashQuery)
        let query =
            "info_hash=\(Fixture.peerTubeHashQuery)&peer_id=-qB4650-%21%7EabcdefGH12&port=51413&uploaded=1024"
            + "&downloaded=2048&left=1810528&corrupt=0&key=8C1A2B3D&event=started&numwant=200&compact=1"
            + "&no_peer_id=1&supportcrypto=1&redundant=0"
        let request = try HTTPAnnounce.parse(query: query, remote: remote)
        #expect(request.infoHash.hex == "0f498834733e8057ed5c6f2ee2b4efd8d84a76ee")
        #expect(request.peerID.bytes == Array("-qB4650-!~abcdefGH12".utf8))
        #expect(request.transport == .tcp(Fixture.endpoint("203.0.113.9", 51413)))
        #expect(request.uploaded == 1024)
        #expect(request.downloaded == 2048)
        #expect(request.left == 1_810_528)
        #expect(request.event == .started)
        #expect(request.numwant == 200)
        #expect(request.compact)
        #expect(request.noPeerID)
        #expect(request.key == "8C1A2B3D")
    }

    @Test func defaults() throws {
        let request = try HTTPAnnounce.parse(query: Fixture.query(peer: Fixture.peerID(1)), remote: remote)
        #expect(request.event == .update)
        #expect(request.numwant == nil)
        #expect(request.compact)
        #expect(!request.noPeerID)
        #expect(request.key == nil)
        let nonCompact = try HTTPAnnounce.parse(
            query: Fixture.query(peer: Fixture.peerID(1), extra: "&compact=0&event="), remote: remote)
        #expect(!nonCompact.compact)
        #expect(nonCompact.event == .update)
    }

    @Test func plusIsNotASpace() throws {
        // '+' is 0x2B in a binary id, never a space.
        let id = "-TR3000-+++++aaaaaaa"
        let query = "info_hash=\(Fixture.peerTubeHashQuery)&peer_id=\(id)&port=1&uploaded=0&downloaded=0&left=0"
        let request = try HTTPAnnounce.parse(query: query, remote: remote)
        #expect(request.peerID.bytes == Array(id.utf8))
    }

    @Test(
        "malformed queries are refused with a clear reason",
        arguments: [
            ("peer_id=-HD0001-000000000001&port=1&uploaded=0&downloaded=0&left=0", "missing info_hash"),
            (
                "info_hash=%0F%49&peer_id=-HD0001-000000000001&port=1&uploaded=0&downloaded=0&left=0",
                "info_hash must be 20 bytes"
            ),
            (
                "info_hash=\(Fixture.peerTubeHashQuery)&info_hash=\(Fixture.peerTubeHashQuery)"
                    + "&peer_id=-HD0001-000000000001&port=1&uploaded=0&downloaded=0&left=0", "repeated info_hash"
            ),
            ("info_hash=\(Fixture.peerTubeHashQuery)&port=1&uploaded=0&downloaded=0&left=0", "missing peer_id"),
            (
                "info_hash=\(Fixture.peerTubeHashQuery)&peer_id=short&port=1&uploaded=0&downloaded=0&left=0",
                "peer_id must be 20 bytes"
            ),
            (
                "info_hash=\(Fixture.peerTubeHashQuery)&peer_id=-HD0001-000000000001&uploaded=0&downloaded=0&left=0",
                "missing port"
            ),
            (
                "info_hash=\(Fixture.peerTubeHashQuery)&peer_id=-HD0001-000000000001&port=0&uploaded=0&downloaded=0"
                    + "&left=0", "invalid port"
            ),
            (
                "info_hash=\(Fixture.peerTubeHashQuery)&peer_id=-HD0001-000000000001&port=65536&uploaded=0"
                    + "&downloaded=0&left=0", "invalid port"
            ),
            (
                "info_hash=\(Fixture.peerTubeHashQuery)&peer_id=-HD0001-000000000001&port=http&uploaded=0"
                    + "&downloaded=0&left=0", "invalid port"
            ),
            (
                "info_hash=\(Fixture.peerTubeHashQuery)&peer_id=-HD0001-000000000001&port=1&uploaded=0&downloaded=0"
                    + "&left=-5", "left must be a non-negative integer"
            ),
            (
                "info_hash=\(Fixture.peerTubeHashQuery)&peer_id=-HD0001-000000000001&port=1&uploaded=0&downloaded=0",
                "missing left"
            ),
            (
                "info_hash=\(Fixture.peerTubeHashQuery)&peer_id=-HD0001-000000000001&port=1&uploaded=x&downloaded=0"
                    + "&left=0", "uploaded must be a non-negative integer"
            ),
            (
                "info_hash=\(Fixture.peerTubeHashQuery)&peer_id=-HD0001-000000000001&port=1&uploaded=0&downloaded=0"
                    + "&left=0&event=paused", "invalid event"
            ),
            (
                "info_hash=\(Fixture.peerTubeHashQuery)&peer_id=-HD0001-000000000001&port=1&uploaded=0&downloaded=0"
                    + "&left=0&numwant=-1", "invalid numwant"
            ),
            (
                "info_hash=\(Fixture.peerTubeHashQuery)&peer_id=-HD0001-000000000001&port=1&uploaded=0&downloaded=0"
                    + "&left=0&compact=yes", "invalid compact"
            ),
            (
                "info_hash=%0G\(Fixture.peerTubeHashQuery)&peer_id=-HD0001-000000000001&port=1&uploaded=0"
                    + "&downloaded=0&left=0", "malformed percent-encoding in info_hash"
            ),
        ])
    func refused(query: String, reason: String) {
        #expect(throws: TrackerFailure(reason)) {
            try HTTPAnnounce.parse(query: query, remote: remote)
        }
    }

    @Test func oversizedQueryIsRefused() {
        let query = Fixture.query(peer: Fixture.peerID(1), extra: "&pad=" + String(repeating: "a", count: 4_096))
        #expect(throws: TrackerFailure("query too long")) {
            try HTTPAnnounce.parse(query: query, remote: remote)
        }
    }

    @Test func ipParameterOnlyFromLoopbackAndWhenAllowed() throws {
        let query = Fixture.query(peer: Fixture.peerID(1), extra: "&ip=198.51.100.20")
        let fromStranger = try HTTPAnnounce.parse(query: query, remote: remote, acceptsClaimedAddress: true)
        #expect(fromStranger.transport.endpoint == Fixture.endpoint("203.0.113.9", 6881))
        let fromLoopback = try HTTPAnnounce.parse(
            query: query, remote: Fixture.address("127.0.0.1"), acceptsClaimedAddress: true)
        #expect(fromLoopback.transport.endpoint == Fixture.endpoint("198.51.100.20", 6881))
        // Through a proxy (the HTTP layer then does not allow it), loopback claims nothing.
        let forwarded = try HTTPAnnounce.parse(query: query, remote: Fixture.address("127.0.0.1"))
        #expect(forwarded.transport.endpoint == Fixture.endpoint("127.0.0.1", 6881))
        #expect(throws: TrackerFailure("invalid ip")) {
            try HTTPAnnounce.parse(
                query: Fixture.query(peer: Fixture.peerID(1), extra: "&ip=example.org"),
                remote: Fixture.address("::1"), acceptsClaimedAddress: true)
        }
    }
}
