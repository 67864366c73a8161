import Testing

@testable import HerdObjectStorage

/// A bucket's `Content-Range` (RFC 9110 §14.4) decides how many bytes Herd relays: anything odd is refused.
struct S3ContentRangeTests {
    @Test("Content-Range from a bucket is parsed, bounded and checked")
    func contentRange() {
        #expect(S3Client.contentRange("bytes 0-99/1000")! == (0...99, 1000))
        #expect(S3Client.contentRange("bytes 999-999/1000")! == (999...999, 1000))
        for hostile in [
            "bytes 0-1000/1000", "bytes 5-4/10", "bytes -1-4/10", "bytes */1000", "items 0-1/2", "bytes 0-1/*",
            "bytes 0-99999999999999999999/99999999999999999999", "bytes 0-1/2/3", "bytes 0-1", "",
            "bytes 0-1/" + String(repeating: "9", count: 100),
        ] {
            #expect(S3Client.contentRange(hostile) == nil, "\(hostile)")
        }
    }
}
