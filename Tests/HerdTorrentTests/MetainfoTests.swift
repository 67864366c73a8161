import Foundation
import HerdBencode
import HerdCrypto
import HerdTorrent
import Testing

@Suite("Metainfo and magnets")
struct MetainfoTests {
    /// `$HERD_VECTORS` (set by `make test`), else `../shared/vectors` beside the repository.
    static let vectors =
        (ProcessInfo.processInfo.environment["HERD_VECTORS"].map { URL(fileURLWithPath: $0) }
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/vectors"))
        .appendingPathComponent("peertube/media")

    @Test("PeerTube's torrent reads into metainfo with the same info-hash")
    func readVector() throws {
        let bytes = Array(try Data(contentsOf: Self.vectors.appendingPathComponent("video-720p.torrent")))
        let metainfo = try Metainfo(bencoded: try BencodeDecoder().decode(bytes))
        #expect(metainfo.infoHash == "0f498834733e8057ed5c6f2ee2b4efd8d84a76ee")
        #expect(metainfo.pieceCount == 111)
        #expect(
            metainfo.urlList == ["https://peertube2.cpy.re/static/webseed/b209ca00-c8bb-4b2b-b421-1ede169f3dbc-720.mp4"]
        )
        #expect(metainfo.createdBy == "PeerTube")
        let again = try Metainfo(bencoded: try BencodeDecoder().decode(metainfo.bencoded.encoded()))
        #expect(again == metainfo)
    }

    @Test("pieces hashed from a file match SHA-1 of each piece; piece length follows PeerTube's rule")
    func hashFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("herd-pieces-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let data = Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        try data.write(to: URL(fileURLWithPath: path))
        let metainfo = try PieceHasher.metainfo(
            forFileAt: path, name: "clip 720p.mp4",
            announceList: [["http://h/tracker/announce"], ["ws://h/tracker/socket"]],
            urlList: ["http://h/static/web-videos/clip-720.mp4"], creationDate: 1_800_000_000
        )
        #expect(metainfo.pieceLength == 131_072 || metainfo.pieceLength == 16_384)
        #expect(metainfo.length == 100_000)
        for index in 0..<metainfo.pieceCount {
            let start = index * metainfo.pieceLength
            let piece = data[start..<min(start + metainfo.pieceLength, data.count)]
            #expect(Array(metainfo.pieces[index * 20..<index * 20 + 20]) == Digest.sha1(piece))
        }
        #expect(Metainfo.pieceLength(forFileSize: 1_810_528) == 16_384)
        #expect(Metainfo.pieceLength(forFileSize: 1 << 30) == 1 << 20)  // 1 GiB → 1 MiB pieces, 1,024 of them
        #expect(Metainfo.pieceLength(forFileSize: 0) == 16_384)
    }

    /// Tests/Fuzz/Corpus/FuzzTorrentFile/crash-length-overflow: a length near Int64.max trapped while the piece
    /// count was worked out; such a torrent is refused.
    @Test("a length too large for its pieces is refused, not a trap")
    func hugeLength() throws {
        let bytes = Array("d4:infod6:lengthi9223372036854775807e4:name1:a12:piece lengthi16384e6:pieces0:ee".utf8)
        #expect(throws: Metainfo.ParseError.self) { try TorrentFile(bytes: bytes) }
        let lastPiece = Array("d4:infod6:lengthi16385e4:name1:a12:piece lengthi16384e6:pieces40:".utf8)
        #expect(
            try TorrentFile(bytes: lastPiece + [UInt8](repeating: 7, count: 40) + Array("ee".utf8)).metainfo.pieceCount
                == 2)
    }

    @Test("magnets print and parse as PeerTube's do")
    func magnets() throws {
        let fixture =
            "magnet:?xs=https%3A%2F%2Fpeertube2.cpy.re%2Flazy-static%2Ftorrents%2Fb209ca00-c8bb-4b2b-b421-1ede169f3dbc-720.torrent&xt=urn:btih:0f498834733e8057ed5c6f2ee2b4efd8d84a76ee&dn=super+peertube2+video&tr=https%3A%2F%2Fpeertube2.cpy.re%2Ftracker%2Fannounce&tr=wss%3A%2F%2Fpeertube2.cpy.re%3A443%2Ftracker%2Fsocket&ws=https%3A%2F%2Fpeertube2.cpy.re%2Fstatic%2Fwebseed%2Fb209ca00-c8bb-4b2b-b421-1ede169f3dbc-720.mp4"
        let magnet = try #require(Magnet(uri: fixture))
        #expect(magnet.infoHash == "0f498834733e8057ed5c6f2ee2b4efd8d84a76ee")
        #expect(magnet.name == "super peertube2 video")
        #expect(
            magnet.trackers == [
                "https://peertube2.cpy.re/tracker/announce", "wss://peertube2.cpy.re:443/tracker/socket",
            ])
        #expect(magnet.webSeeds.count == 1)
        #expect(magnet.uri == fixture)
        #expect(Magnet(uri: "magnet:?xt=urn:btih:nothex") == nil)
        #expect(Magnet(uri: "http://example.org") == nil)
    }
}
