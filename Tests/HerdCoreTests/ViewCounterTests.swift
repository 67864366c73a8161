import Foundation
import HerdCore
import Testing

@Suite("View counting and search trigrams")
struct ViewCounterTests {
    @Test("one view per viewer and video per window; remote batches capped; drain empties")
    func counting() {
        var counter = ViewCounter(window: 3600, maxTracked: 3)
        let t0 = Date(timeIntervalSince1970: 0)
        let r1 = counter.record(videoId: 1, viewer: "a", now: t0)
        #expect(r1)
        let r2 = counter.record(videoId: 1, viewer: "a", now: t0 + 3599)
        #expect(!r2)
        let r3 = counter.record(videoId: 2, viewer: "a", now: t0)
        #expect(r3)
        let r4 = counter.record(videoId: 1, viewer: "b", now: t0)
        #expect(r4)
        // Full: old entries are dropped once their window has passed, else new viewers wait.
        let r5 = counter.record(videoId: 1, viewer: "c", now: t0 + 10)
        #expect(!r5)
        let r6 = counter.record(videoId: 1, viewer: "c", now: t0 + 3600)
        #expect(r6)
        counter.add(videoId: 3, count: 5)
        counter.add(videoId: 3, count: 1_000_000)
        counter.add(videoId: 3, count: -4)
        let r7 = counter.drain()
        #expect(r7 == [1: 3, 2: 1, 3: 5 + ViewCounter.maxRemoteBatch])
        let r8 = counter.drain()
        #expect(r8.isEmpty)
    }

    @Test("trigrams as pg_trgm makes them: padded words, case and accents folded, distinct")
    func trigrams() {
        #expect(SearchTrigrams.of("Cat") == ["  c", " ca", "cat", "at "])
        #expect(SearchTrigrams.of("ÉTÉ été") == ["  e", " et", "ete", "te "])
        #expect(SearchTrigrams.of("a-b") == ["  a", " a ", "  b", " b "])
        #expect(SearchTrigrams.of("  !! ").isEmpty)
        let (trigrams, required) = SearchTrigrams.query("bunny")
        #expect(trigrams.count == 6 && required == 3)
        #expect(SearchTrigrams.query(String(repeating: "abcdefghij ", count: 20)).trigrams.count <= 64)
    }
}
