import Foundation
import HerdBencode
import HerdTorrent
import Testing

/// The pure checks a mirror runs on what it copies (issue 6): torrents read with their own info-hash and rewritten
/// with other web seeds without changing it; playlists that may name only the copy's own files.
@Suite("Mirror copy checks")
struct MirrorCopyChecksTests {
    static func torrent(extraInfoKey: Bool = false) -> [UInt8] {
        var info: [(String, Bencode)] = [
            ("length", .integer(40_000)), ("name", .string("Rabbits 360p.mp4")), ("piece length", .integer(16_384)),
            ("pieces", .bytes(Array(repeating: 7, count: 60))),
        ]
        if extraInfoKey { info.append(("x-origin-note", .string("kept as is"))) }
        return Bencode.dict([
            ("announce", .string("http://origin.example/tracker/announce")), ("info", .dict(info)),
            ("url-list", .list([.string("http://origin.example/static/a.mp4")])),
        ]).encoded()
    }

    @Test("the info-hash is taken from the info dictionary as encoded, unknown keys included")
    func rawInfoHash() throws {
        let plain = try TorrentFile(bytes: Self.torrent())
        #expect(plain.infoHash == plain.metainfo.infoHash)
        let extra = try TorrentFile(bytes: Self.torrent(extraInfoKey: true))
        // Herd's own re-encoding would drop the key and get another hash; the raw one is the origin's.
        #expect(extra.infoHash != extra.metainfo.infoHash)
        #expect(extra.infoHash.count == 40)
    }

    @Test("new web seeds leave the info-hash alone")
    func webSeeds() throws {
        let original = try TorrentFile(bytes: Self.torrent(extraInfoKey: true))
        let seeds = ["http://origin.example/static/a.mp4", "http://mirror.example/static/redundancy/hls/u/a.mp4"]
        let rewritten = try TorrentFile(bytes: original.withWebSeeds(seeds))
        #expect(rewritten.infoHash == original.infoHash)
        #expect(rewritten.metainfo.urlList == seeds)
        #expect(try TorrentFile(bytes: original.withWebSeeds([])).metainfo.urlList.isEmpty)
    }

    @Test("malformed torrents are refused with a reason")
    func malformed() {
        #expect(throws: Metainfo.ParseError.self) { try TorrentFile(bytes: Array("d4:infoi1ee".utf8)) }
        #expect(throws: Metainfo.ParseError.self) { try TorrentFile(bytes: Array("not bencode".utf8)) }
        #expect(throws: Metainfo.ParseError.self) { try TorrentFile(bytes: Array(Self.torrent().dropLast())) }
    }

    static let master = """
        #EXTM3U
        #EXT-X-VERSION:7
        #EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360,CODECS="avc1.64001e,mp4a.40.2"
        u-360.m3u8
        #EXT-X-STREAM-INF:BANDWIDTH=300000,RESOLUTION=426x240,CODECS="avc1.64001e,mp4a.40.2"
        u-240.m3u8
        """

    static func media(_ file: String = "u-360-fragmented.mp4", mapRange: String = "1000@0") -> String {
        """
        #EXTM3U
        #EXT-X-TARGETDURATION:2
        #EXT-X-MAP:URI="\(file)",BYTERANGE="\(mapRange)"
        #EXTINF:2.000,
        #EXT-X-BYTERANGE:5000@1000
        \(file)
        #EXTINF:1.500,
        #EXT-X-BYTERANGE:3000
        \(file)
        #EXT-X-ENDLIST
        """
    }

    @Test("a master playlist's variants are plain names; anything else is refused")
    func masterVariants() throws {
        #expect(try HLSCopyCheck.variants(ofMaster: Self.master) == ["u-360.m3u8", "u-240.m3u8"])
        for uri in ["https://elsewhere.example/u-360.m3u8", "../secrets.m3u8", "a/b.m3u8", ".hidden.m3u8"] {
            let text = Self.master.replacingOccurrences(of: "u-240.m3u8", with: uri)
            #expect(throws: HLSCopyCheck.Failure.foreignURI(uri)) { try HLSCopyCheck.variants(ofMaster: text) }
        }
        #expect(throws: HLSCopyCheck.Failure.self) { try HLSCopyCheck.variants(ofMaster: "#EXTM3U\n") }
    }

    @Test("a media playlist may name only copied files, with ranges inside them")
    func mediaPlaylist() throws {
        let sizes = ["u-360-fragmented.mp4": Int64(9000)]
        try HLSCopyCheck.check(mediaPlaylist: Self.media(), name: "u-360.m3u8", fileSizes: sizes)
        // The second segment starts where the first ended (§4.3.2.2): 6000 + 3000 = 9000, the file's end.
        #expect(throws: HLSCopyCheck.Failure.rangeOutside("u-360-fragmented.mp4")) {
            try HLSCopyCheck.check(
                mediaPlaylist: Self.media(), name: "u-360.m3u8", fileSizes: ["u-360-fragmented.mp4": 8999])
        }
        #expect(throws: HLSCopyCheck.Failure.missingFile("other.mp4")) {
            try HLSCopyCheck.check(mediaPlaylist: Self.media("other.mp4"), name: "u-360.m3u8", fileSizes: sizes)
        }
        #expect(throws: HLSCopyCheck.Failure.foreignURI("http://evil.example/x.mp4")) {
            try HLSCopyCheck.check(
                mediaPlaylist: Self.media("http://evil.example/x.mp4"), name: "u-360.m3u8", fileSizes: sizes)
        }
        #expect(throws: HLSCopyCheck.Failure.rangeOutside("u-360-fragmented.mp4")) {
            try HLSCopyCheck.check(
                mediaPlaylist: Self.media(mapRange: "99999@0"), name: "u-360.m3u8", fileSizes: sizes)
        }
        // Absurd ranges from another server are refused, never overflowed.
        for mapRange in ["1@9223372036854775807", "9223372036854775807@1", "-5@0", "5@-1"] {
            #expect(throws: HLSCopyCheck.Failure.rangeOutside("u-360-fragmented.mp4")) {
                try HLSCopyCheck.check(
                    mediaPlaylist: Self.media(mapRange: mapRange), name: "u-360.m3u8", fileSizes: sizes)
            }
        }
        let hugeSegment = Self.media().replacingOccurrences(of: "5000@1000", with: "5000@9223372036854775807")
        #expect(throws: HLSCopyCheck.Failure.rangeOutside("u-360-fragmented.mp4")) {
            try HLSCopyCheck.check(mediaPlaylist: hugeSegment, name: "u-360.m3u8", fileSizes: sizes)
        }
        #expect(throws: HLSCopyCheck.Failure.empty("u-360.m3u8")) {
            try HLSCopyCheck.check(mediaPlaylist: "#EXTM3U\n#EXT-X-ENDLIST\n", name: "u-360.m3u8", fileSizes: sizes)
        }
    }
}
