import HerdCore
import Testing

@Suite("Resumable upload decisions")
struct ResumableChunkTests {
    @Test(
        "Content-Range parsing",
        arguments: [
            ("bytes 0-99/1000", ContentRange(range: 0...99, total: 1000)),
            ("bytes */1000", ContentRange(range: nil, total: 1000)),
            ("bytes 999-999/1000", ContentRange(range: 999...999, total: 1000)),
        ])
    func parses(header: String, expected: ContentRange) {
        #expect(ContentRange(header: header) == expected)
    }

    @Test(
        "malformed Content-Range",
        arguments: [
            "bytes 0-99", "bytes 10-5/100", "bytes 0-100/100", "items 0-1/2", "bytes a-b/c", "bytes -1-5/10", "",
            "bytes */",
        ])
    func rejects(header: String) {
        #expect(ContentRange(header: header) == nil)
    }

    @Test("what to do with a chunk")
    func decisions() {
        func decide(_ header: String?, body: Int64?, received: Int64, total: Int64 = 100) -> ResumableChunkDecision {
            ResumableChunkDecision.decide(
                contentRange: header.flatMap(ContentRange.init(header:)), bodyLength: body, received: received,
                total: total
            )
        }
        #expect(decide("bytes 0-49/100", body: 50, received: 0) == .append(complete: false))
        #expect(decide("bytes 50-99/100", body: 50, received: 50) == .append(complete: true))
        #expect(decide("bytes 60-99/100", body: 40, received: 50) == .mismatch(received: 50))
        #expect(decide("bytes 50-99/100", body: 10, received: 50) == .mismatch(received: 50))
        #expect(decide("bytes 0-49/100", body: 50, received: 50) == .status(received: 50, complete: false))
        #expect(decide("bytes */100", body: 0, received: 30) == .status(received: 30, complete: false))
        #expect(decide("bytes */100", body: 0, received: 100) == .status(received: 100, complete: true))
        #expect(decide("bytes 0-9/99", body: 10, received: 0) == .wrongTotal)
        #expect(decide(nil, body: 0, received: 20) == .status(received: 20, complete: false))
        #expect(decide(nil, body: 80, received: 20) == .append(complete: true))
    }

    @Test("absurd numbers from the client are refused, never trapped on")
    func absurdNumbers() {
        let huge = Int64.max
        #expect(
            ResumableChunkDecision.decide(contentRange: nil, bodyLength: huge, received: 20, total: 100)
                == .mismatch(received: 20))
        #expect(
            ResumableChunkDecision.decide(contentRange: nil, bodyLength: -80, received: 180, total: 100)
                == .mismatch(received: 180))
        #expect(ContentRange(header: "bytes 0-1/99999999999999999999") == nil)
        #expect(ContentRange(header: "bytes 0-1/" + String(repeating: "9", count: 10_000)) == nil)
        #expect(
            ContentRange(header: "bytes \(huge - 1)-\(huge - 1)/\(huge)")
                == ContentRange(range: (huge - 1)...(huge - 1), total: huge))
    }
}
