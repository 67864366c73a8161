import FuzzSupport
import HerdTorrent

/// A .torrent fetched from another instance (BEP 3, 12, 19), and magnet links read from its `Video` objects (BEP 9).
/// A torrent read must keep its info-hash when its web seeds are replaced, and give a seedable shape.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTorrentFile(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    if let torrent = try? TorrentFile(bytes: bytes) {
        let reseeded = torrent.withWebSeeds(["https://mirror.example/static/redundancy/hls/"])
        guard let again = try? TorrentFile(bytes: reseeded) else { preconditionFailure("web seeds broke a torrent") }
        precondition(again.infoHash == torrent.infoHash, "replacing web seeds changed the info-hash")
        let shape = SeededTorrent(torrent.metainfo)
        precondition(shape.pieceCount == torrent.metainfo.pieceCount, "the seeded shape disagrees with the pieces")
        _ = shape.pieceSize(at: shape.pieceCount - 1)
    }
    if bytes.starts(with: Array("magnet:?".utf8)) {
        _ = Magnet(uri: String(decoding: bytes, as: UTF8.self))?.uri
    }
    return 0
}

@main enum FuzzTorrentFileMain {
    static func main() { runFuzzer() }
}
