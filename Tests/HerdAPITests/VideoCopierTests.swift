import Foundation
import HTTPTypes
import HerdApp
import HerdBencode
import HerdCore
import HerdCrypto
import HerdFederation
import HerdTorrent
import HummingbirdTesting
import Logging
import Testing

@testable import HerdAPI
@testable import HerdProcessing

/// An origin as a mirror sees it: signed documents and plain files by URL. Any file can be swapped for other bytes.
final class FakeOrigin: ActivityPubFetcher, @unchecked Sendable {
    private let lock = NSLock()
    private var documents: [String: JSONValue] = [:]
    private var files: [String: [UInt8]] = [:]

    func setDocument(_ url: String, _ value: JSONValue) { lock.withLock { documents[url] = value } }
    func setFile(_ url: String, _ bytes: [UInt8]) { lock.withLock { files[url] = bytes } }
    func file(_ url: String) -> [UInt8]? { lock.withLock { files[url] } }

    func fetch(_ url: String, signer: FederationSigner?) async throws -> JSONValue {
        guard let document = lock.withLock({ documents[url] }) else { throw FetchedObjectGone() }
        return document
    }

    func fetchMedia(_ url: String, maxBytes: Int) async throws -> [UInt8] {
        guard let bytes = file(url) else { throw FetchedObjectGone() }
        return bytes
    }
}

/// `VideoCopier` (issue 6): a copy is made only of what the origin published; any swapped byte, torrent, playlist
/// or hash list is refused, and nothing is left where copies are served.
@Suite("Copying a remote video for a mirror")
struct VideoCopierTests {
    static let base = "https://origin.example"
    static let uuid = "44444444-5555-4666-8777-888888888888"
    static var folder: String { "\(base)/static/streaming-playlists/hls/\(uuid)" }
    static var fileURL: String { "\(folder)/\(uuid)-360-fragmented.mp4" }
    static var torrentURL: String { "\(base)/lazy-static/torrents/\(uuid)-360-hls.torrent" }
    static var masterURL: String { "\(folder)/\(uuid)-master.m3u8" }
    static var mediaURL: String { "\(folder)/\(uuid)-360.m3u8" }
    static var hashesURL: String { "\(folder)/\(uuid)-segments-sha256.json" }

    /// Publishes a 200 KiB "fragmented MP4" with its torrent, playlists and hashes on a fake origin.
    static func origin(scratch: String) throws -> (FakeOrigin, JSONValue) {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<(200 * 1024)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let path = scratch + "/source.mp4"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let metainfo = try PieceHasher.metainfo(
            forFileAt: path, name: "Copied 360p.mp4", announceList: [[base + "/tracker/announce"]],
            urlList: [fileURL], creationDate: 0)
        let name = "\(uuid)-360-fragmented.mp4"
        let media = """
            #EXTM3U
            #EXT-X-TARGETDURATION:2
            #EXT-X-MAP:URI="\(name)",BYTERANGE="1000@0"
            #EXTINF:2.000,
            #EXT-X-BYTERANGE:100000@1000
            \(name)
            #EXTINF:2.000,
            #EXT-X-BYTERANGE:\(bytes.count - 101_000)@101000
            \(name)
            #EXT-X-ENDLIST
            """
        let master = """
            #EXTM3U
            #EXT-X-STREAM-INF:BANDWIDTH=400000,RESOLUTION=640x360,CODECS="avc1.64001e,mp4a.40.2"
            \(uuid)-360.m3u8
            """
        func sha(_ range: Range<Int>) -> String { Digest.hex(Digest.sha256(bytes[range])) }
        let hashes: JSONValue = [
            name: [
                "1000-100999": .string(sha(1000..<101_000)),
                "101000-\(bytes.count - 1)": .string(sha(101_000..<bytes.count)),
            ]
        ]
        let origin = FakeOrigin()
        origin.setFile(fileURL, bytes)
        origin.setFile(torrentURL, metainfo.bencoded.encoded())
        origin.setFile(masterURL, Array(master.utf8))
        origin.setFile(mediaURL, Array(media.utf8))
        origin.setFile(hashesURL, Array(hashes.serialized))
        let magnet = Magnet(infoHash: metainfo.infoHash, name: "Copied", webSeeds: [fileURL]).uri
        func link(_ type: String, _ href: String) -> JSONValue {
            ["type": "Link", "mediaType": .string(type), "href": .string(href), "height": 360, "fps": 30, "size": 1]
        }
        let id = "\(base)/videos/watch/\(uuid)"
        let video: JSONValue = [
            "type": "Video", "id": .string(id), "uuid": .string(uuid), "name": "Copied", "duration": "PT4S",
            "published": "2026-01-02T03:04:05.000Z",
            "url": [
                [
                    "type": "Link", "mediaType": "application/x-mpegURL", "href": .string(masterURL),
                    "tag": [
                        ["type": "Infohash", "name": "aa"],
                        [
                            "type": "Link", "name": "sha256", "mediaType": "application/json",
                            "href": .string(hashesURL),
                        ],
                        link("video/mp4", fileURL), link("application/x-bittorrent", torrentURL),
                        link("application/x-bittorrent;x-scheme-handler/magnet", magnet),
                    ],
                ]
            ],
            "attributedTo": [
                ["type": "Person", "id": .string("\(base)/accounts/root")],
                ["type": "Group", "id": .string("\(base)/video-channels/root_channel")],
            ],
            "to": [.string(ActivityContext.publicAudience)],
        ]
        origin.setDocument(id, video)
        return (origin, video)
    }

    static func copy(_ origin: FakeOrigin, instance: TestInstance) async throws -> (String, Int64) {
        let processing = instance.herd.processing
        let video = Video(
            id: 1, uuid: UUID(uuidString: uuid)!, channelId: 1, name: "Copied", privacy: .public, state: .published,
            createdAt: Date(), updatedAt: Date(), publishedAt: Date())
        let directory = processing.layout.copyDirectory(uuid: video.uuid)
        let copier = VideoCopier(
            fetcher: RemoteDocuments(transport: origin, actors: processing.actors), media: processing.media,
            scratchFolder: processing.layout.tmp)
        let size = try await copier.copy(video, url: "\(base)/videos/watch/\(uuid)")
        return (directory, size)
    }

    @Test("what the origin published is copied whole, with its manifest; it verifies again from disk")
    func honest() async throws {
        let instance = try await TestInstance()
        defer { instance.remove() }
        let (origin, _) = try Self.origin(scratch: instance.directory)
        let (directory, size) = try await Self.copy(origin, instance: instance)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(
            names == [
                ".herd-copy.json", "\(Self.uuid)-360-fragmented.mp4", "\(Self.uuid)-360-hls.torrent",
                "\(Self.uuid)-360.m3u8", "\(Self.uuid)-master.m3u8", "\(Self.uuid)-segments-sha256.json",
            ])
        #expect(size > 200 * 1024)
        let integrity = CopyIntegrity(directory: directory)
        try integrity.verify()
        #expect(try integrity.changedFiles().isEmpty)
        #expect(
            integrity.torrents().map { ($0.path as NSString).lastPathComponent } == ["\(Self.uuid)-360-fragmented.mp4"])
        // A changed byte on disk is caught by the cheap check and by the full one.
        // (The byte is flipped: writing a fixed value would change nothing when the clip holds that value there.)
        let handle = try #require(FileHandle(forUpdatingAtPath: directory + "/\(Self.uuid)-360-fragmented.mp4"))
        try handle.seek(toOffset: 150_000)
        let byte = try #require(try handle.read(upToCount: 1)?.first)
        try handle.seek(toOffset: 150_000)
        try handle.write(contentsOf: Data([~byte]))
        try handle.close()
        #expect(try !integrity.changedFiles().isEmpty)
        #expect(throws: CopyIntegrity.Damage.self) { try integrity.verify() }
        // So is a changed playlist (not covered by a torrent: by its recorded SHA-256).
        try integrity.writeManifest()
        try "#EXTM3U\n".write(toFile: directory + "/\(Self.uuid)-master.m3u8", atomically: true, encoding: .utf8)
        #expect(throws: CopyIntegrity.Damage.self) { try integrity.verify() }
    }

    @Test("a copy's files are served as the role they were checked in; files its manifest does not type are not")
    func servedTypes() async throws {
        let instance = try await TestInstance()
        defer { instance.remove() }
        let (origin, _) = try Self.origin(scratch: instance.directory)
        let (directory, _) = try await Self.copy(origin, instance: instance)
        // Dropped into the folder after the copy was made, whatever the name: never served.
        try "<script>alert(1)</script>".write(toFile: directory + "/page.mp4", atomically: true, encoding: .utf8)
        try "<script>alert(1)</script>".write(toFile: directory + "/page.html", atomically: true, encoding: .utf8)
        try await instance.withClient { client in
            let folder = "/static/redundancy/hls/\(Self.uuid)/"
            for (name, type) in [
                ("\(Self.uuid)-360-fragmented.mp4", "video/mp4"),
                ("\(Self.uuid)-master.m3u8", "application/vnd.apple.mpegurl"),
                ("\(Self.uuid)-360.m3u8", "application/vnd.apple.mpegurl"),
                ("\(Self.uuid)-segments-sha256.json", "application/json"),
                ("\(Self.uuid)-360-hls.torrent", "application/x-bittorrent"),
            ] {
                let response = try await client.request(.get, folder + name)
                #expect(response.status == .ok && response.headers[.contentType] == type, "\(name)")
            }
            for name in ["page.mp4", "page.html", ".herd-copy.json", "missing.mp4"] {
                #expect(try await client.request(.get, folder + name).status == .notFound, "\(name)")
            }
        }
        // A manifest that records no types (made before they were) fails verification: the copy is made again.
        let integrity = CopyIntegrity(directory: directory)
        var manifest = try integrity.manifest()
        manifest.files = manifest.files.mapValues {
            var entry = $0; entry.contentType = nil; return entry
        }
        try JSONEncoder().encode(manifest).write(to: URL(fileURLWithPath: directory + "/" + CopyIntegrity.manifestName))
        #expect(throws: CopyIntegrity.Damage.self) { try integrity.verify() }
    }

    @Test("a swapped byte, torrent, playlist or hash list is refused and nothing is served")
    func tampered() async throws {
        let instance = try await TestInstance()
        defer { instance.remove() }
        let tmp = instance.layout.tmp
        func refused(_ change: (FakeOrigin) throws -> Void, _ label: String) async throws {
            let (origin, _) = try Self.origin(scratch: instance.directory)
            try change(origin)
            await #expect(throws: (any Error).self, "\(label)") { _ = try await Self.copy(origin, instance: instance) }
            #expect(
                !FileManager.default.fileExists(
                    atPath: instance.layout.copyDirectory(uuid: UUID(uuidString: Self.uuid)!)))
            #expect(try FileManager.default.contentsOfDirectory(atPath: tmp).filter { $0.hasPrefix("copy-") }.isEmpty)
        }
        try await refused(
            { origin in
                var bytes = try #require(origin.file(Self.fileURL))
                bytes[70_000] ^= 0xFF
                origin.setFile(Self.fileURL, bytes)
            }, "one byte of the video")
        try await refused(
            { origin in
                var bytes = try #require(origin.file(Self.fileURL))
                bytes.removeLast(10)
                origin.setFile(Self.fileURL, bytes)
            }, "a shorter video")
        try await refused(
            { origin in
                let other = Metainfo(
                    name: "x", length: 200 * 1024, pieceLength: 16_384, pieces: Array(repeating: 1, count: 13 * 20))
                origin.setFile(Self.torrentURL, other.bencoded.encoded())
            }, "another torrent")
        try await refused(
            { origin in
                origin.setFile(Self.torrentURL, Array("d4:infoe".utf8))
            }, "a broken torrent")
        try await refused(
            { origin in
                let master = String(decoding: try #require(origin.file(Self.masterURL)), as: UTF8.self)
                origin.setFile(
                    Self.masterURL,
                    Array(
                        master.replacingOccurrences(of: "\(Self.uuid)-360.m3u8", with: "https://evil.example/x.m3u8")
                            .utf8))
            }, "a master playlist sending players elsewhere")
        try await refused(
            { origin in
                let media = String(decoding: try #require(origin.file(Self.mediaURL)), as: UTF8.self)
                origin.setFile(
                    Self.mediaURL, Array(media.replacingOccurrences(of: "100000@1000", with: "900000@1000").utf8))
            }, "a byte range past the file")
        try await refused(
            { origin in
                let text = String(decoding: try #require(origin.file(Self.hashesURL)), as: UTF8.self)
                origin.setFile(
                    Self.hashesURL,
                    Array(text.replacingOccurrences(of: "\"1000-100999\":\"", with: "\"1000-100999\":\"00").utf8))
            }, "a wrong segment hash")
    }
}
