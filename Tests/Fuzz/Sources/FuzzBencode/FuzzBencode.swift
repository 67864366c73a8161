import FuzzSupport
import HerdBencode

/// BEP 3 bencoding as it arrives in .torrent files and tracker answers. The decoder is strict (canonical only), so
/// whatever it accepts must encode back to the very same bytes: info-hashes depend on it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBencode(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    let decoder = BencodeDecoder()
    if let value = try? decoder.decode(bytes) {
        precondition(value.encoded() == bytes, "a canonical value re-encodes to other bytes")
    }
    if let range = try? decoder.rawRange(ofKey: "info", in: bytes) {
        precondition(range.lowerBound >= 0 && range.upperBound <= bytes.count, "the info range lies outside")
    }
    return 0
}

@main enum FuzzBencodeMain {
    static func main() { runFuzzer() }
}
