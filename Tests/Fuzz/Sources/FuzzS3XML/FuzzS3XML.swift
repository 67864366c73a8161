import FuzzSupport
import HerdS3

/// The S3 documents Herd reads from a bucket's server (ListObjectsV2 pages, CreateMultipartUpload, errors): each
/// parse ends with a value or an error, never a trap or a stall, and a page lists no more keys than its bytes hold.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzS3XML(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    if let page = try? S3XML.listPage(bytes) {
        precondition(page.keys.count + page.commonPrefixes.count <= bytes.count / 10, "more keys than elements")
    }
    _ = try? S3XML.uploadId(bytes)
    _ = S3XML.error(bytes)
    return 0
}

@main enum FuzzS3XMLMain {
    static func main() { runFuzzer() }
}
