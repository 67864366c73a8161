import Foundation
import HerdCore
import HerdMediaStore
import HerdObjectStorage
import HerdS3
import HerdTestSupport
import Testing

/// Where media lives for a test: local folders, or a bucket on a real S3 server on loopback (SeaweedFS, or moto as a
/// second implementation).
enum MediaBackend: String, CaseIterable, CustomTestStringConvertible {
    case local
    case s3
    case moto

    /// The backends that are S3 servers.
    static let buckets: [MediaBackend] = [.s3, .moto]

    /// A new bucket on this backend's server.
    func bucket() async throws -> (endpoint: S3Endpoint, bucket: String) {
        self == .moto ? try await MotoTestServer.shared.bucket() : try await S3TestServer.shared.bucket()
    }

    var testDescription: String { rawValue }

    /// Object storage places every kind Herd puts in it under its own prefix of one bucket (PeerTube's layout).
    static func places(bucket: String) -> [MediaKind: ObjectMediaStore.Place] {
        [
            .originals: .init(bucket: bucket, prefix: "original-video-files/"),
            .webVideos: .init(bucket: bucket, prefix: "web-videos/"),
            .privateWebVideos: .init(bucket: bucket, prefix: "private/web-videos/"),
            .hls: .init(bucket: bucket, prefix: "streaming-playlists/hls/"),
            .privateHLS: .init(bucket: bucket, prefix: "private/streaming-playlists/hls/"),
        ]
    }

    func make() async throws -> (store: any MediaStore, scratch: String, client: S3Client?, bucket: String) {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("herd-media-\(UUID().uuidString)")
            .path
        let layout = StorageLayout(root: scratch + "/storage")
        for folder in layout.allDirectories {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let local = LocalMediaStore(layout: layout)
        switch self {
        case .local:
            return (local, scratch, nil, "")
        case .s3, .moto:
            let (endpoint, bucket) = try await bucket()
            // Parts of 5 MiB (S3's least), so that a 12 MB file goes up in three.
            let client = S3Client(endpoint: endpoint, partSize: 5 << 20)
            return (
                ObjectMediaStore(client: client, places: Self.places(bucket: bucket), local: local), scratch, client,
                bucket
            )
        }
    }
}

@Suite("Media store contract")
struct MediaStoreContractTests {
    static func file(_ scratch: String, _ name: String, _ bytes: [UInt8]) throws -> String {
        let path = scratch + "/in/" + name
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("files and folders: put, read, exists, keys, move between kinds, delete", arguments: MediaBackend.allCases)
    func filesAndFolders(backend: MediaBackend) async throws {
        let (store, scratch, _, _) = try await backend.make()
        defer { try? FileManager.default.removeItem(atPath: scratch) }

        try await store.write(.webVideos, "v1-720.mp4", bytes: Array("seven20".utf8))
        #expect(try await store.read(.webVideos, "v1-720.mp4", maxBytes: 100) == Array("seven20".utf8))
        #expect(try await store.read(.webVideos, "v1-720.mp4", maxBytes: 3) == nil)
        #expect(try await store.read(.webVideos, "missing.mp4", maxBytes: 100) == nil)
        #expect(await store.exists(.webVideos, "v1-720.mp4"))
        #expect(!(await store.exists(.webVideos, "missing.mp4")))

        // A folder (an HLS playlist) goes in whole; the local one is gone.
        let folder = scratch + "/in/uuid-1"
        _ = try Self.file(scratch, "uuid-1/master.m3u8", Array("#EXTM3U\n".utf8))
        _ = try Self.file(scratch, "uuid-1/uuid-1-720-fragmented.mp4", [UInt8](repeating: 7, count: 1000))
        try await store.put(.hls, "uuid-1", movingFrom: folder)
        #expect(!FileManager.default.fileExists(atPath: folder))
        #expect(await store.exists(.hls, "uuid-1"))
        #expect(try await store.read(.hls, "uuid-1/master.m3u8", maxBytes: 100) == Array("#EXTM3U\n".utf8))
        let original = try Self.file(scratch, "o.mp4", Array("original".utf8))
        try await store.put(.originals, "uuid-1.mp4", movingFrom: original)
        #expect(Set(try await store.keys(.hls)) == ["uuid-1"])
        #expect(try await store.keys(.originals) == ["uuid-1.mp4"])

        // A new set replaces the old one: no file of the old set stays.
        _ = try Self.file(scratch, "uuid-1/master.m3u8", Array("#EXTM3U\n#2\n".utf8))
        try await store.put(.hls, "uuid-1", movingFrom: folder)
        #expect(try await store.read(.hls, "uuid-1/uuid-1-720-fragmented.mp4", maxBytes: 2000) == nil)

        // Privacy changes move files between kinds, and back.
        try await store.move("uuid-1", from: .hls, to: .privateHLS)
        #expect(!(await store.exists(.hls, "uuid-1")))
        // A folder moved or deleted is no key any more (SeaweedFS keeps emptied directories until a cleanup round).
        let hlsKeys = try await store.keys(.hls)
        #expect(hlsKeys.isEmpty, "\(hlsKeys)")
        #expect(try await store.keys(.privateHLS) == ["uuid-1"])
        #expect(try await store.read(.privateHLS, "uuid-1/master.m3u8", maxBytes: 100) == Array("#EXTM3U\n#2\n".utf8))
        try await store.move("v1-720.mp4", from: .webVideos, to: .privateWebVideos)
        try await store.move("v1-720.mp4", from: .privateWebVideos, to: .webVideos)
        #expect(try await store.read(.webVideos, "v1-720.mp4", maxBytes: 100) == Array("seven20".utf8))
        try await store.move("nothing-here", from: .hls, to: .privateHLS)

        // Deletion: a folder with everything in it; everything starting with a prefix.
        try await store.delete(.privateHLS, "uuid-1")
        #expect(!(await store.exists(.privateHLS, "uuid-1")))
        #expect(try await store.keys(.privateHLS).isEmpty)
        _ = try Self.file(scratch, "uuid-2/master.m3u8", Array("#EXTM3U\n".utf8))
        try await store.put(.hls, "uuid-2", movingFrom: scratch + "/in/uuid-2")
        #expect(try await store.deleteAll(.hls, prefix: "uuid-2") == ["uuid-2"])
        #expect(try await store.keys(.hls).isEmpty)
        try await store.delete(.privateHLS, "uuid-1")
        try await store.write(.webVideos, "v1-360.mp4", bytes: [1])
        try await store.write(.webVideos, "v2-360.mp4", bytes: [2])
        #expect(try await store.deleteAll(.webVideos, prefix: "v1-").sorted() == ["v1-360.mp4", "v1-720.mp4"])
        #expect(try await store.keys(.webVideos) == ["v2-360.mp4"])
    }

    @Test("keys that climb out or are empty are refused", arguments: MediaBackend.allCases)
    func hostileKeys(backend: MediaBackend) async throws {
        let (store, scratch, _, _) = try await backend.make()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        for key in ["", "../escape.mp4", "/etc/passwd", "a/../../b", "./x"] {
            await #expect(throws: HerdError.self, "\(key)") {
                try await store.write(.webVideos, key, bytes: [1])
            }
            await #expect(throws: HerdError.self, "\(key)") {
                _ = try await store.read(.webVideos, key, maxBytes: 10)
            }
        }
    }

    @Test(
        "a file larger than a part goes up in parts, arrives whole, and leaves no unfinished upload",
        arguments: MediaBackend.buckets)
    func multipart(backend: MediaBackend) async throws {
        let (store, scratch, client, bucket) = try await backend.make()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let client_ = try #require(client)
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<(12 << 17)).flatMap { _ in withUnsafeBytes(of: generator.next() as UInt64) { Array($0) } }
        let path = try Self.file(scratch, "big.mp4", bytes)
        try await store.put(.originals, "big.mp4", movingFrom: path)
        let key = "original-video-files/big.mp4"
        #expect(try await client_.size(bucket, key) == Int64(bytes.count))
        let whole = try await client_.get(bucket, key, maxBytes: 13 << 20)
        #expect(whole.map(SigV4Signer.payloadHash) == SigV4Signer.payloadHash(bytes))
        // A range across the first part's end.
        let start = (5 << 20) - 10
        #expect(
            try await client_.get(bucket, key, range: "bytes=\(start)-\(start + 19)", maxBytes: 100)
                == Array(bytes[start..<start + 20]))
        #expect(try await client_.pendingMultipartUploads(bucket, prefix: "") == 0)
    }

    /// SeaweedFS only: moto runs without checking signatures (`MotoTestServer`).
    @Test("a wrong secret is refused by the server with its reason")
    func wrongSecret() async throws {
        let (endpoint, bucket) = try await S3TestServer.shared.bucket()
        var forged = endpoint
        forged.credentials.secretAccessKey = "not-the-secret"
        await #expect {
            try await S3Client(endpoint: forged, attempts: 1).put(bucket, "x", bytes: [1])
        } throws: { error in
            let failure = error as? S3Failure
            return failure?.status == 403 && failure?.code == "SignatureDoesNotMatch"
        }
    }
}

/// `object_storage.proxy.proxify_private_files: false`: files Herd would stream are fetched from the bucket through
/// presigned URLs (SigV4 query signing) instead.
@Suite("Presigned links to private files")
struct PresignedLinkTests {
    /// Status and body of a plain GET (curl: no credentials of its own).
    static func get(_ url: String, range: String? = nil) throws -> (status: Int, body: String) {
        var arguments = ["-s", "-w", "\n%{http_code}"]
        if let range { arguments += ["-H", "Range: bytes=\(range)"] }
        let output = try Subprocess.run("/usr/bin/curl", arguments + [url], capture: .standardOutputOnly).output
        let status = Int(output.split(separator: "\n").last ?? "") ?? 0
        return (status, String(output.dropLast(String(status).count + 1)))
    }

    @Test("a presigned URL reads the object, by range too; a forged or expired one is refused; nil when not enabled")
    func presigned() async throws {
        let (endpoint, bucket) = try await S3TestServer.shared.bucket()
        let client = S3Client(endpoint: endpoint)
        let layout = StorageLayout(root: FileManager.default.temporaryDirectory.path + "/herd-\(UUID().uuidString)")
        let local = LocalMediaStore(layout: layout)
        let places = MediaBackend.places(bucket: bucket)
        let store = ObjectMediaStore(client: client, places: places, local: local, privateLinkLifetime: 60)
        try await store.write(.privateHLS, "v/fragment.mp4", bytes: Array("private fragment bytes".utf8))

        let url = try #require(store.temporaryURL(.privateHLS, "v/fragment.mp4"))
        #expect(url.hasPrefix(endpoint.url + "/" + bucket + "/private/streaming-playlists/hls/v/fragment.mp4?"))
        #expect(url.contains("X-Amz-Expires=60"))
        #expect(try Self.get(url) == (200, "private fragment bytes"))
        #expect(try Self.get(url, range: "8-15") == (206, "fragment"))
        // One changed character of the signature, or a link signed two minutes ago for one minute, is refused.
        let forged = String(url.dropLast()) + (url.hasSuffix("0") ? "1" : "0")
        #expect(try Self.get(forged).status == 403)
        let key = "private/streaming-playlists/hls/v/fragment.mp4"
        let expired = client.presignedURL(bucket, key, expires: 60, at: Date().addingTimeInterval(-120))
        #expect(try Self.get(expired).status == 403)

        // Herd streams the files itself: no link; nor for a kind the bucket does not hold (thumbnails stay local).
        #expect(ObjectMediaStore(client: client, places: places, local: local).temporaryURL(.privateHLS, "v/x") == nil)
        #expect(store.temporaryURL(.thumbnails, "x.jpg") == nil)
        #expect(local.temporaryURL(.privateHLS, "v/fragment.mp4") == nil)
    }
}
