import FuzzSupport
import HerdAPI

/// A viewer's `Range` header (RFC 9110 §14.1.2), read before the file's size is known (issue 18: it is passed on to
/// a bucket as `ByteRange.Spec.header`) and resolved against sizes. The input is the header. What is passed on must
/// read back as the same request, and a resolved range must lie inside the file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzByteRange(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let header = String(decoding: fuzzBytes(data, size), as: UTF8.self)
    let spec = ByteRange.Spec(header: header)
    if let forwarded = spec.header, ByteRange.Spec(header: forwarded) != spec {
        fatalError("\(spec) is passed on as \(forwarded), which reads back differently")
    }
    for fileSize: Int64 in [0, 1, 999, 1 << 40, Int64.max] {
        if case .partial(let range) = spec.resolved(size: fileSize),
            range.lowerBound < 0 || range.upperBound >= fileSize
        {
            fatalError("\(spec) resolved to \(range) for a file of \(fileSize) bytes")
        }
    }
    return 0
}

@main enum FuzzByteRangeMain {
    static func main() { runFuzzer() }
}
