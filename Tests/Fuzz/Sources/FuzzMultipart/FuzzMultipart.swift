import FuzzSupport

@testable import HerdAPI

/// `multipart/form-data` uploads (RFC 7578, RFC 2046 §5.1.1). The input's first line is the Content-Type; the rest
/// is the body, fed to the streaming parser in chunks whose sizes the line's length picks. The parts' bytes, however
/// they were cut, must add up to what a single feed of the same body gives.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMultipart(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
    let contentType = String(decoding: bytes[..<newline], as: UTF8.self)
    let body = Array(bytes[min(newline + 1, bytes.endIndex)...])
    let boundary = MultipartParser.boundary(fromContentType: contentType) ?? "fuzz-boundary"

    var random = FuzzRandom(seed: UInt8(truncatingIfNeeded: newline))
    var parser = MultipartParser(boundary: boundary)
    var chunked: [UInt8] = []
    do {
        for chunk in body.fuzzChunks(maxChunk: 64, random: &random) {
            for event in try parser.feed(chunk) {
                switch event {
                case .partBegin(let headers): _ = MultipartParser.disposition(headers)
                case .partData(let part): chunked += part
                case .partEnd, .end: break
                }
            }
        }
        try parser.finish()
    } catch {
        return 0
    }

    var whole = MultipartParser(boundary: boundary)
    var single: [UInt8] = []
    guard let events = try? whole.feed(body) else { preconditionFailure("a body parsed in chunks fails in one piece") }
    for case .partData(let part) in events { single += part }
    precondition(chunked == single, "the parts' bytes depend on how the body was cut")
    return 0
}

@main enum FuzzMultipartMain {
    static func main() { runFuzzer() }
}
