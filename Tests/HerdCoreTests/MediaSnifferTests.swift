import Foundation
import HerdCore
import Testing

@Suite("Media sniffing")
struct MediaSnifferTests {
    /// `$HERD_VECTORS` (set by `make test`), else `../shared/vectors` beside the repository.
    static let media =
        (ProcessInfo.processInfo.environment["HERD_VECTORS"].map { URL(fileURLWithPath: $0) }
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/vectors"))
        .appendingPathComponent("peertube/media")

    static func prefix(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: media.appendingPathComponent(name)).prefix(MediaSniffer.prefixLength))
    }

    @Test(
        "real clips are recognised",
        arguments: [
            ("video_short.mp4", MediaSniffer.Container.mp4), ("video_short.webm", .matroska), ("sample.ogg", .ogg),
        ])
    func realClips(name: String, container: MediaSniffer.Container) throws {
        #expect(MediaSniffer.sniff(try Self.prefix(name)) == container)
    }

    @Test("non-media is refused", arguments: ["subtitle-good.srt", "subtitle-good1.vtt", "video-720p.torrent"])
    func nonMedia(name: String) throws {
        #expect(MediaSniffer.sniff(try Self.prefix(name)) == nil)
    }

    @Test("edge inputs")
    func edges() {
        #expect(MediaSniffer.sniff([]) == nil)
        #expect(MediaSniffer.sniff(Array("<html><body>".utf8)) == nil)
        #expect(MediaSniffer.sniff(Array("%PDF-1.7".utf8)) == nil)
        #expect(MediaSniffer.sniff([0x89, 0x50, 0x4E, 0x47]) == nil)  // PNG
        #expect(MediaSniffer.sniff(Array("RIFF\0\0\0\0AVI LIST".utf8)) == .avi)
        #expect(MediaSniffer.sniff([0x1A, 0x45, 0xDF]) == nil)  // truncated EBML magic
    }

    @Test("an ID3 tag is audio only when MPEG audio frames follow it")
    func id3() {
        let header: [UInt8] = Array("ID3".utf8) + [4, 0, 0, 0, 0, 0, 20]  // v2.4, 20 bytes of tag
        let tag = header + [UInt8](repeating: 0x41, count: 20)
        #expect(MediaSniffer.sniff(tag + [0xFF, 0xFB, 0x90, 0x64]) == .mp3)
        #expect(MediaSniffer.sniff(tag + [0, 0, 0, 0xFF, 0xFB, 0x90, 0x64]) == .mp3)  // padding
        #expect(MediaSniffer.sniff(tag + [0xFF, 0xF1, 0x50, 0x80]) == .aac)
        // Text behind a tag (a playlist, a concat script) is not audio.
        #expect(MediaSniffer.sniff(tag + Array("#EXTM3U\nhttp://127.0.0.1/x.ts\n".utf8)) == nil)
        #expect(MediaSniffer.sniff(Array("ID3 ffconcat version 1.0\nfile '/etc/passwd'\n".utf8)) == nil)
        #expect(MediaSniffer.sniff(Array("ID3".utf8) + [9, 0, 0, 0, 0, 0, 0, 0]) == nil)  // no such version
        #expect(MediaSniffer.sniff(Array("ID3".utf8) + [4, 0, 0, 0x80, 0, 0, 0, 0]) == nil)  // not syncsafe
        // A tag larger than the bytes sniffed (cover art): the demuxer, forced to mp3, decides.
        #expect(
            MediaSniffer.sniff(Array("ID3".utf8) + [3, 0, 0, 0, 1, 0, 0] + [UInt8](repeating: 1, count: 5000)) == .mp3)
    }
}
