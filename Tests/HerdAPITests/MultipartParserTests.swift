import Testing

@testable import HerdAPI

/// The streaming multipart parser on its own (RFC 2046 §5.1.1), with inputs found by `make fuzz` (FuzzMultipart).
@Suite("Multipart parser")
struct MultipartParserTests {
    /// The part data of `body` fed in chunks of `size` bytes, or nil when the parser refuses it.
    static func partData(_ body: [UInt8], boundary: String, chunkSize size: Int) -> [[UInt8]]? {
        var parser = MultipartParser(boundary: boundary)
        var parts: [[UInt8]] = []
        var start = 0
        do {
            while start < body.count {
                let end = min(body.count, start + size)
                for event in try parser.feed(body[start..<end]) {
                    switch event {
                    case .partBegin: parts.append([])
                    case .partData(let bytes): parts[parts.count - 1] += bytes
                    case .partEnd, .end: break
                    }
                }
                start = end
            }
            try parser.finish()
        } catch {
            return nil
        }
        return parts
    }

    /// FuzzMultipart's crash (Corpus/FuzzMultipart/crash-part-without-headers-min): a part without headers was read
    /// as headers up to the next blank line when its bytes came in one piece, and as a body when they came cut.
    @Test("a part without headers is a body up to the delimiter, however the bytes are cut")
    func partWithoutHeaders() {
        let body = Array("pre\r\n--b \t\r\n\r\nn\r\n--b--\0\0\n1\r\n\r\n".utf8)
        for size in [1, 2, 3, 5, 64] {
            #expect(Self.partData(body, boundary: "b", chunkSize: size) == [Array("n".utf8)], "chunks of \(size)")
        }
    }

    @Test("a blank line at the start of a headerless part's body is kept")
    func headerlessBodyStartingWithBlankLine() {
        let body = Array("--b\r\n\r\n\r\nbody\r\n\r\nmore\r\n--b--\r\n".utf8)
        for size in [1, 4, body.count] {
            #expect(
                Self.partData(body, boundary: "b", chunkSize: size) == [Array("\r\nbody\r\n\r\nmore".utf8)],
                "chunks of \(size)")
        }
    }

    @Test("parts with headers are unchanged")
    func partsWithHeaders() {
        let body = Array(
            "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"v.mp4\"\r\n\r\n\r\n\r\nx\r\n--b--"
                .utf8)
        for size in [1, 3, body.count] {
            #expect(Self.partData(body, boundary: "b", chunkSize: size) == [[0x31], Array("\r\n\r\nx".utf8)])
        }
    }
}
