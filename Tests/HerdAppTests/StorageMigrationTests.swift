import Foundation
import HerdObjectStorage
import HerdS3
import HerdTestSupport
import Testing

/// `herd storage migrate` (issue 18) with the real binary and a real bucket (SeaweedFS on loopback).
@Suite("Storage migration", .ownThread)
struct StorageMigrationTests {
    @Test(
        """
        migrate --to object moves originals, web MP4s and HLS folders, public and private, into their prefixes \
        (large files in parts); a file an interrupted run left behind goes over on the next run; --to local brings \
        everything back byte for byte
        """)
    func roundTrip() throws {
        let directory = try CommandLineTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let s3 = try runBlocking { try await S3TestServer.shared.bucket() }
        let bucket = S3Client(endpoint: s3.endpoint)
        let environment = ClusterTests.objectStorage(s3.endpoint, bucket: s3.bucket).merging([
            "HERD_STORAGE_DIR": directory, "HERD_OBJECT_STORAGE_ENABLED": "false",
        ]) { $1 }
        let (video, hidden) = (UUID().uuidString.lowercased(), UUID().uuidString.lowercased())
        // Local path → object key. The original is over a part (5 MB here): it goes up in parts.
        let places = [
            "originals/\(video).mp4": "originals/\(video).mp4",
            "web-videos/\(video)-720.mp4": "web/\(video)-720.mp4",
            "web-videos/private/\(hidden)-360.mp4": "web/private/\(hidden)-360.mp4",
            "streaming-playlists/hls/\(video)/\(video)-master.m3u8": "hls/\(video)/\(video)-master.m3u8",
            "streaming-playlists/hls/\(video)/\(video)-720-fragmented.mp4": "hls/\(video)/\(video)-720-fragmented.mp4",
            "streaming-playlists/hls/private/\(hidden)/\(hidden)-master.m3u8":
                "hls/private/\(hidden)/\(hidden)-master.m3u8",
        ]
        var contents: [String: Data] = [:]
        for path in places.keys {
            let size = path.hasPrefix("originals/") ? 6 << 20 : 1000 + path.count
            contents[path] = Data((0..<size).map { _ in UInt8.random(in: 0...255) })
        }
        contents["thumbnails/\(video).jpg"] = Data("a thumbnail stays local".utf8)
        try write(contents, in: directory)

        let toObject = try HerdBinary.run(["storage", "migrate", "--to", "object"], environment: environment)
        #expect(toObject.status == 0, "\(toObject.output)")
        #expect(toObject.output.contains("moved 5 files or folders"), "\(toObject.output)")
        let keys = try runBlocking { try await bucket.list(s3.bucket, prefix: "").keys }
        #expect(Set(keys) == Set(places.values))
        for (path, key) in places {
            let stored = try runBlocking { try await bucket.get(s3.bucket, key, maxBytes: 8 << 20) }
            #expect(stored == Array(contents[path]!), "\(key)")
            #expect(!FileManager.default.fileExists(atPath: directory + "/" + path))
        }
        #expect(FileManager.default.fileExists(atPath: directory + "/thumbnails/\(video).jpg"))
        #expect(try runBlocking { try await bucket.pendingMultipartUploads(s3.bucket, prefix: "") } == 0)

        // A run that stopped after copying left its source: the next run sends it again, replacing the copy.
        let leftBehind = "web-videos/\(video)-720.mp4"
        contents[leftBehind] = Data("newer bytes".utf8)
        try write([leftBehind: contents[leftBehind]!], in: directory)
        let again = try HerdBinary.run(["storage", "migrate", "--to", "object"], environment: environment)
        #expect(again.output.contains("moved 1 files or folders"), "\(again.output)")
        let replaced = try runBlocking { try await bucket.get(s3.bucket, places[leftBehind]!, maxBytes: 1 << 20) }
        #expect(replaced == Array(contents[leftBehind]!))

        let toLocal = try HerdBinary.run(["storage", "migrate", "--to", "local"], environment: environment)
        #expect(toLocal.status == 0, "\(toLocal.output)")
        #expect(toLocal.output.contains("moved 5 files or folders"), "\(toLocal.output)")
        for (path, data) in contents {
            #expect(FileManager.default.contents(atPath: directory + "/" + path) == data, "\(path)")
        }
        #expect(try runBlocking { try await bucket.list(s3.bucket, prefix: "").keys }.isEmpty)
    }

    func write(_ files: [String: Data], in directory: String) throws {
        for (path, data) in files {
            let full = directory + "/" + path
            try FileManager.default.createDirectory(
                atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try data.write(to: URL(fileURLWithPath: full))
        }
    }
}
