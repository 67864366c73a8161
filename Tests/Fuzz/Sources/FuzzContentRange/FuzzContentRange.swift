import FuzzSupport
import HerdCore

/// A resumable upload's `Content-Range` (RFC 9110 §14.4) and the decision about its chunk. The input's first 17
/// bytes set the server's side (bytes already received, the announced total) and the client's Content-Length; the
/// rest is the header.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzContentRange(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    guard bytes.count >= 17 else { return 0 }
    func int64(_ offset: Int) -> Int64 {
        Int64(bitPattern: bytes[offset..<offset + 8].reduce(0) { $0 << 8 | UInt64($1) })
    }
    // A file's size and the total checked at init are never negative; Content-Length is the client's word.
    let received = int64(1) & Int64.max
    let total = int64(9) & Int64.max
    let bodyLength: Int64? = bytes[0] & 1 == 0 ? nil : Int64(bytes[0] >> 1) - 64
    let header = String(decoding: bytes[17...], as: UTF8.self)
    let range = ContentRange(header: header)
    for bodyLength in [bodyLength, range?.range.map { $0.upperBound - $0.lowerBound + 1 }, Int64.max] {
        _ = ResumableChunkDecision.decide(
            contentRange: range, bodyLength: bodyLength, received: received, total: total)
        _ = ResumableChunkDecision.decide(
            contentRange: range, bodyLength: bodyLength, received: received, total: range?.total ?? total)
    }
    return 0
}

@main enum FuzzContentRangeMain {
    static func main() { runFuzzer() }
}
