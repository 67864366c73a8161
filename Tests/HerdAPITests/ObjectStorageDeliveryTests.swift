import Foundation
import HTTPTypes
import HerdCore
import HerdJobs
import HerdTestSupport
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Media in object storage, delivered (issue 18): public files are redirected to the bucket; private ones come through
/// Herd after the viewer is checked, streamed, or with `object_storage.proxy.proxify_private_files: false` redirected
/// to a presigned URL of the bucket. A real SeaweedFS bucket, a real upload and transcode, the real router.
@Suite("Object storage delivery")
struct ObjectStorageDeliveryTests {
    static func instance(proxify: Bool) async throws -> TestInstance {
        let (endpoint, bucket) = try await S3TestServer.shared.bucket()
        return try await PrivateMediaTests.instance { values in
            values.merge(S3TestServer.settings(endpoint, bucket: bucket)) { $1 }
            values["object_storage.proxy.proxify_private_files"] = String(proxify)
        }
    }

    /// Status, headers and body of a plain GET outside Herd (curl).
    static func fetch(_ url: String) throws -> (status: Int, body: [UInt8]) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("herd-fetch-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        let status = try Subprocess.run(
            "/usr/bin/curl", ["-s", "-o", file.path, "-w", "%{http_code}", url], capture: .standardOutputOnly
        ).output
        return (Int(status) ?? 0, Array((try? Data(contentsOf: file)) ?? Data()))
    }

    @Test(
        """
        proxify_private_files off: a private video's playlists come from Herd, its fragments and MP4s redirect the \
        viewer Herd checked to a presigned URL of the bucket (no redirect for anyone else), downloads are streamed
        """)
    func presignedRedirects() async throws {
        let instance = try await Self.instance(proxify: false)
        defer { instance.remove() }
        let channel = try await LegacyUploadTests.channelId(instance, "root")
        let bytes = try LegacyUploadTests.videoBytes()
        try await instance.withClient { client in
            let root = try await client.login("root", TestInstance.rootPassword)
            let other = try await client.createUser("viewer", adminToken: root)
            let uuid = try await TranscodingFlowTests.upload(
                client, token: root, channel: channel, bytes: bytes, name: "Private in the bucket")
            #expect(try await TranscodingFlowTests.workers(instance).runNext())
            // Public: /static/ redirects to the bucket itself, no signature needed.
            let publicPaths = try await PrivateMediaTests.mediaPaths(client, uuid, token: nil)
            let publicFragment = try #require(publicPaths.first { $0.hasSuffix("-fragmented.mp4") })
            let redirect = try await client.request(.get, publicFragment)
            #expect(redirect.status == .found)
            let bucketURL = try #require(redirect.headers[.location])
            #expect(!bucketURL.contains("X-Amz-Signature"))
            let publicBytes = try Self.fetch(bucketURL)
            #expect(publicBytes.status == 200 && !publicBytes.body.isEmpty)

            #expect(
                try await PrivateMediaTests.update(client, uuid, token: root, "{\"privacy\":3}").status == .noContent)
            let paths = try await PrivateMediaTests.mediaPaths(client, uuid, token: root).filter {
                $0.contains("/private/") || $0.hasPrefix("/download/")
            }
            let (playlists, downloads) = (
                paths.filter { $0.hasSuffix(".m3u8") }, paths.filter { $0.hasPrefix("/download/") }
            )
            let redirected = paths.filter { !playlists.contains($0) && !downloads.contains($0) }
            #expect(playlists.count == 2 && !redirected.isEmpty && !downloads.isEmpty)
            // Nobody else is sent to the bucket.
            for token in [nil, other] {
                #expect(
                    try await PrivateMediaTests.statuses(client, paths, token: token).isDisjoint(
                        with: [.ok, .partialContent, .found]))
            }
            #expect(try await PrivateMediaTests.statuses(client, playlists, token: root) == [.ok])
            #expect(try await PrivateMediaTests.statuses(client, downloads, token: root) == [.ok])
            for path in redirected {
                let response = try await client.request(.get, path, token: root)
                #expect(response.status == .found)
                #expect(response.headers[.cacheControl] == "private, no-store")
                let location = try #require(response.headers[.location])
                #expect(location.contains("/private/") && location.contains("X-Amz-Signature="))
                #expect(try Self.fetch(location).status == 200)
            }
            // The fragment the bucket gives through the link is the one it gave while the video was public.
            let privateFragment = try #require(redirected.first { $0.hasSuffix("-fragmented.mp4") })
            let link = try #require(try await client.request(.get, privateFragment, token: root).headers[.location])
            #expect(try Self.fetch(link).body == publicBytes.body)
        }
    }

    @Test("proxify_private_files on (the default): private fragments are streamed by Herd with Range, never redirected")
    func streamed() async throws {
        let instance = try await Self.instance(proxify: true)
        defer { instance.remove() }
        let channel = try await LegacyUploadTests.channelId(instance, "root")
        let bytes = try LegacyUploadTests.videoBytes()
        try await instance.withClient { client in
            let root = try await client.login("root", TestInstance.rootPassword)
            let uuid = try await TranscodingFlowTests.upload(
                client, token: root, channel: channel, bytes: bytes, name: "Streamed from the bucket")
            #expect(try await TranscodingFlowTests.workers(instance).runNext())
            #expect(
                try await PrivateMediaTests.update(client, uuid, token: root, "{\"privacy\":3}").status == .noContent)
            let paths = try await PrivateMediaTests.mediaPaths(client, uuid, token: root)
            let fragment = try #require(paths.first { $0.hasSuffix("-fragmented.mp4") && $0.contains("/private/") })
            #expect(try await PrivateMediaTests.statuses(client, paths, token: root) == [.ok])
            let range = try await client.request(.get, fragment, token: root, headers: [.range: "bytes=10-109"])
            #expect(range.status == .partialContent)
            #expect(range.body.readableBytes == 100)
            #expect(range.headers[.contentRange]?.hasPrefix("bytes 10-109/") == true)
            // Each form of Range goes to the bucket as asked, in one GET, and its answer comes back as it should.
            let whole = try await client.request(.get, fragment, token: root)
            let size = whole.body.readableBytes
            let all = Array(whole.body.readableBytesView)
            #expect(whole.status == .ok && size > 1000 && whole.headers[.contentLength] == String(size))
            #expect(whole.headers[.eTag] != nil && whole.headers[.acceptRanges] == "bytes")
            #expect(Array(range.body.readableBytesView) == Array(all[10...109]))
            let cases: [(String, HTTPResponse.Status, ClosedRange<Int>?)] = [
                ("bytes=-100", .partialContent, (size - 100)...(size - 1)),
                ("bytes=\(size - 10)-", .partialContent, (size - 10)...(size - 1)),
                ("bytes=0-\(size + 500)", .partialContent, 0...(size - 1)),
                ("bytes=\(size)-", .rangeNotSatisfiable, nil),
                ("bytes=-0", .rangeNotSatisfiable, nil),
                ("bytes=0-1,5-9", .ok, 0...(size - 1)),
                ("items=0-9", .ok, 0...(size - 1)),
            ]
            for (header, status, bytes) in cases {
                let response = try await client.request(.get, fragment, token: root, headers: [.range: header])
                #expect(response.status == status, "\(header)")
                if let bytes {
                    #expect(Array(response.body.readableBytesView) == Array(all[bytes]), "\(header)")
                    if status == .partialContent {
                        #expect(
                            response.headers[.contentRange]
                                == "bytes \(bytes.lowerBound)-\(bytes.upperBound)/\(size)", "\(header)")
                    }
                } else {
                    #expect(response.headers[.contentRange] == "bytes */\(size)", "\(header)")
                }
            }
            // Validators still work (these take the HEAD first), and a HEAD sends no bytes.
            let etag = try #require(whole.headers[.eTag])
            let revalidated = try await client.request(.get, fragment, token: root, headers: [.ifNoneMatch: etag])
            #expect(revalidated.status == .notModified)
            let head = try await client.request(.head, fragment, token: root)
            #expect(head.status == .ok && head.headers[.contentLength] == String(size) && head.body.readableBytes == 0)
            let missing = fragment.replacingOccurrences(of: "-fragmented.mp4", with: "-9999-fragmented.mp4")
            #expect(try await client.request(.get, missing, token: root).status == .notFound)
        }
    }
}
