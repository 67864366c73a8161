import FuzzSupport
import HerdFederation

/// HTTP Signatures' headers as inboxes receive them (draft-cavage-http-signatures-12): each line of the input is
/// read as a `Signature` header and as a `Date` (RFC 9110 §5.6.7). A date read must format back to the same time.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPSignature(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: fuzzBytes(data, size), as: UTF8.self)
    for line in text.split(separator: "\n", maxSplits: 4, omittingEmptySubsequences: false).map(String.init) {
        if let parameters = try? SignatureParameters(header: line) {
            _ = parameters.actorURL
            _ = parameters.headerValue
        }
        if let seconds = HTTPDate.parse(line), seconds <= HTTPDate.latest {
            precondition(HTTPDate.parse(HTTPDate.format(seconds)) == seconds, "a date does not round-trip")
        }
    }
    return 0
}

@main enum FuzzHTTPSignatureMain {
    static func main() { runFuzzer() }
}
