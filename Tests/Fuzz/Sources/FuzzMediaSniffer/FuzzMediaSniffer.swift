import FuzzSupport
import HerdCore

/// The first bytes of an upload, sniffed for a media container before a video is created.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMediaSniffer(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    _ = MediaSniffer.sniff(Array(bytes.prefix(MediaSniffer.prefixLength)))
    _ = MediaSniffer.sniff(bytes)
    return 0
}

@main enum FuzzMediaSnifferMain {
    static func main() { runFuzzer() }
}
