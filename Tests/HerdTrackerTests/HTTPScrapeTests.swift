import HerdBencode
import Testing

@testable import HerdTracker

@Suite("HTTP scrape (BEP 48)")
struct HTTPScrapeTests {
    @Test func parsesRepeatedHashes() throws {
        let other = Fixture.percentEncode(Fixture.otherHash.bytes)
        let hashes = try HTTPScrape.parse(
            query: "info_hash=\(Fixture.peerTubeHashQuery)&info_hash=\(other)&info_hash=\(Fixture.peerTubeHashQuery)")
        #expect(hashes == [Fixture.peerTubeHash, Fixture.otherHash])
        #expect(throws: TrackerFailure("missing info_hash")) { try HTTPScrape.parse(query: "") }
        #expect(throws: TrackerFailure("info_hash must be 20 bytes")) { try HTTPScrape.parse(query: "info_hash=ab") }
        let many = Array(repeating: "info_hash=\(other)", count: 65).joined(separator: "&")
        #expect(throws: TrackerFailure("too many info_hash")) {
            try HTTPScrape.parse(query: many, limits: TrackerLimits(maxQueryLength: 100_000))
        }
    }

    @Test func answersKnownHashesOnly() throws {
        var swarms = Swarms()
        swarms.register(Fixture.peerTubeHash)
        _ = swarms.httpAnnounce(
            query: Fixture.query(peer: Fixture.peerID(1), left: 0, extra: "&event=completed"),
            remote: Fixture.address("10.0.0.1"), now: 0)
        _ = swarms.httpAnnounce(
            query: Fixture.query(peer: Fixture.peerID(2)), remote: Fixture.address("10.0.0.2"), now: 0)
        _ = swarms.httpAnnounce(
            query: Fixture.query(peer: Fixture.peerID(3)), remote: Fixture.address("10.0.0.3"), now: 0)
        let other = Fixture.percentEncode(Fixture.otherHash.bytes)
        let answer = try Fixture.decode(
            swarms.httpScrape(query: "info_hash=\(Fixture.peerTubeHashQuery)&info_hash=\(other)", now: 1))
        let files = try #require(answer["files"])
        guard case .dictionary(let entries) = files else {
            Issue.record("files is not a dictionary")
            return
        }
        #expect(entries.count == 1)
        #expect(entries.first?.key == Fixture.peerTubeHash.bytes)
        let stats = try #require(entries.first?.value)
        #expect(stats == .dict([("complete", .integer(1)), ("downloaded", .integer(1)), ("incomplete", .integer(2))]))

        let failure = try Fixture.decode(swarms.httpScrape(query: "info_hash=%ZZ", now: 1))
        #expect(failure["failure reason"]?.text == "malformed percent-encoding in info_hash")
    }
}
