import Foundation
import HTTPTypes
import HerdAPI
import HerdCore
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Delivery of files on the local disk (object storage's is `ObjectStorageDeliveryTests`).
@Suite("Static files")
struct StaticFilesTests {
    /// An instance whose media is on its local disk, even when the suite runs on object storage.
    static func localInstance() async throws -> TestInstance {
        try await TestInstance { $0["object_storage.enabled"] = "false" }
    }

    /// Writes a 1 MiB file of known bytes as a web video and returns its bytes.
    static func storeFile(_ instance: TestInstance, name: String = "0f7c1a3e-3a8e-4a4f-9a55-2b1b8c0d2e11-720.mp4")
        throws -> [UInt8]
    {
        let bytes = (0..<(1024 * 1024)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
        try Data(bytes).write(to: URL(fileURLWithPath: instance.layout.webVideos + "/" + name))
        return bytes
    }

    @Test("a 256 KiB range comes back with 206 and exactly those bytes")
    func range() async throws {
        let instance = try await Self.localInstance()
        defer { instance.remove() }
        let bytes = try Self.storeFile(instance)
        try await instance.withClient(.live) { client in
            let path = "/static/web-videos/0f7c1a3e-3a8e-4a4f-9a55-2b1b8c0d2e11-720.mp4"
            let start = 300_000
            let end = start + 262_144 - 1
            let partial = try await client.request(.get, path, headers: [.range: "bytes=\(start)-\(end)"])
            #expect(partial.status == .partialContent)
            #expect(partial.headers[.contentRange] == "bytes \(start)-\(end)/\(bytes.count)")
            #expect(partial.headers[.contentLength] == "262144")
            #expect(Array(partial.body.readableBytesView) == Array(bytes[start...end]))
            #expect(partial.headers[.contentType] == "video/mp4")
            #expect(partial.headers[.acceptRanges] == "bytes")

            let suffix = try await client.request(.get, path, headers: [.range: "bytes=-100"])
            #expect(Array(suffix.body.readableBytesView) == Array(bytes.suffix(100)))
            let open = try await client.request(.get, path, headers: [.range: "bytes=1048000-"])
            #expect(Array(open.body.readableBytesView) == Array(bytes[1_048_000...]))
            let outside = try await client.request(.get, path, headers: [.range: "bytes=5000000-5000010"])
            #expect(outside.status == .rangeNotSatisfiable)
            #expect(outside.headers[.contentRange] == "bytes */\(bytes.count)")
            // Several ranges: the whole file (allowed by RFC 9110).
            let multi = try await client.request(.get, path, headers: [.range: "bytes=0-1,5-6"])
            #expect(multi.status == .ok)
            #expect(multi.body.readableBytes == bytes.count)
        }
    }

    @Test("whole file, HEAD, validators and download disposition")
    func validators() async throws {
        let instance = try await Self.localInstance()
        defer { instance.remove() }
        let bytes = try Self.storeFile(instance)
        try await instance.withClient(.live) { client in
            let path = "/static/web-videos/0f7c1a3e-3a8e-4a4f-9a55-2b1b8c0d2e11-720.mp4"
            let whole = try await client.request(.get, path)
            #expect(whole.status == .ok)
            #expect(Array(whole.body.readableBytesView) == bytes)
            let etag = try #require(whole.headers[.eTag])
            let modified = try #require(whole.headers[.lastModified])
            #expect(modified.hasSuffix("GMT"))
            #expect(whole.headers[.accessControlAllowOrigin] == "*")

            let head = try await client.request(.head, path)
            #expect(head.status == .ok)
            #expect(head.headers[.contentLength] == String(bytes.count))
            #expect(head.body.readableBytes == 0)

            #expect(try await client.request(.get, path, headers: [.ifNoneMatch: etag]).status == .notModified)
            #expect(try await client.request(.get, path, headers: [.ifModifiedSince: modified]).status == .notModified)
            // If-Range with a stale validator gets the whole file.
            let stale = try await client.request(.get, path, headers: [.range: "bytes=0-9", .ifRange: "\"stale\""])
            #expect(stale.status == .ok)
            let fresh = try await client.request(.get, path, headers: [.range: "bytes=0-9", .ifRange: etag])
            #expect(fresh.status == .partialContent)

            // Downloads go through their video's rules: none for a file without a video.
            let downloadPath = "/download/web-videos/0f7c1a3e-3a8e-4a4f-9a55-2b1b8c0d2e11-720.mp4"
            #expect(try await client.request(.get, downloadPath).status == .notFound)
            _ = try await instance.stores.videos.create(
                NewVideo(
                    uuid: UUID(uuidString: "0f7c1a3e-3a8e-4a4f-9a55-2b1b8c0d2e11")!,
                    channelId: try await LegacyUploadTests.channelId(instance, "root"), name: "stored",
                    privacy: .public, state: .published))
            let download = try await client.request(.get, downloadPath)
            #expect(download.status == .ok)
            #expect(download.headers[.contentDisposition]?.hasPrefix("attachment") == true)
        }
    }

    @Test("no path traversal: dot-dot, encoded dot-dot, hidden files, symlinks out of storage")
    func traversal() async throws {
        let instance = try await Self.localInstance()
        defer { instance.remove() }
        _ = try Self.storeFile(instance)
        let secret = instance.directory + "/secret.txt"
        try Data("top secret".utf8).write(to: URL(fileURLWithPath: secret))
        try FileManager.default.createSymbolicLink(
            atPath: instance.layout.webVideos + "/link.mp4", withDestinationPath: secret)
        try Data("hidden".utf8).write(to: URL(fileURLWithPath: instance.layout.webVideos + "/.hidden.mp4"))
        try FileManager.default.createDirectory(
            atPath: instance.layout.webVideos + "/folder", withIntermediateDirectories: true)
        try await instance.withClient(.live) { client in
            let attempts = [
                "/static/web-videos/../../secret.txt", "/static/web-videos/%2e%2e/%2e%2e/secret.txt",
                "/static/web-videos/%2E%2E%2F%2E%2E%2Fsecret.txt", "/static/web-videos/..%2f..%2fsecret.txt",
                "/static/web-videos/link.mp4", "/static/web-videos/.hidden.mp4", "/static/web-videos/folder",
                "/static/web-videos/", "/static/web-videos/nothing.mp4", "/static/web-videos/a%00.mp4",
                "/download/streaming-playlists/hls/videos/../../../secret.txt",
                "/static/streaming-playlists/hls/..%5c..%5csecret.txt",
            ]
            for path in attempts {
                let response = try await client.request(.get, path)
                #expect(response.status == .notFound || response.status == .badRequest, "\(path) → \(response.status)")
                #expect(!response.text.contains("top secret"), "\(path)")
            }
        }
    }

    @Test(
        "range parsing",
        arguments: [
            ("bytes=0-99", ByteRange.partial(0...99)), ("bytes=100-", .partial(100...999)),
            ("bytes=-10", .partial(990...999)),
            ("bytes=990-5000", .partial(990...999)), ("bytes=1000-1001", .unsatisfiable), ("bytes=-0", .unsatisfiable),
            ("bytes=5-2", .whole), ("items=0-1", .whole), ("bytes=0-1,3-4", .whole), ("bytes=abc", .whole),
        ])
    func rangeParsing(header: String, expected: ByteRange) {
        #expect(ByteRange(header: header, size: 1000) == expected)
    }

    @Test(
        "a range is passed on to a bucket as asked, or not at all",
        arguments: [
            ("bytes=0-99", "bytes=0-99"), (" bytes=100- ", "bytes=100-"), ("bytes=-10", "bytes=-10"),
            ("bytes=-0", "bytes=-0"), ("bytes=5-2", nil), ("bytes=0-1,3-4", nil), ("items=0-1", nil),
            ("bytes=99999999999999999999-", nil), ("bytes=-99999999999999999999", nil), ("bytes=1-2-3", nil),
        ] as [(String, String?)])
    func rangeForwarding(header: String, forwarded: String?) {
        #expect(ByteRange.Spec(header: header).header == forwarded)
    }
}
