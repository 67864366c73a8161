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
}
