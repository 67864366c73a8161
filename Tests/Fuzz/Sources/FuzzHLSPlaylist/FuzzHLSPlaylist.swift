import FuzzSupport
import HerdTorrent

/// HLS playlists copied from another instance (RFC 8216): read as a master playlist and as a media playlist. The
/// copy holds every plain file name the playlist mentions but those of one length in five, each with a size that
/// the first byte scales, so both the missing-file and the byte-range checks are reached.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHLSPlaylist(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    guard let control = bytes.first else { return 0 }
    let text = String(decoding: bytes.dropFirst(), as: UTF8.self)
    _ = try? HLSCopyCheck.variants(ofMaster: text)

    var fileSizes: [String: Int64] = [:]
    for line in text.split(whereSeparator: \.isNewline) {
        for word in line.split(whereSeparator: { $0 == "\"" || $0 == "," || $0 == "=" || $0 == " " })
        where word.utf8.count % 5 != 0 {
            fileSizes[String(word)] = Int64(word.utf8.count) * Int64(control) * 4099
        }
    }
    _ = try? HLSCopyCheck.check(mediaPlaylist: text, name: "720.m3u8", fileSizes: fileSizes)
    return 0
}

@main enum FuzzHLSPlaylistMain {
    static func main() { runFuzzer() }
}
