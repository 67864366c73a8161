import Foundation
import HTTPTypes
import HerdCore
import HerdCrypto
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Legacy upload")
struct LegacyUploadTests {
    static func videoBytes() throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: Vectors.media("video_short.mp4"))))
    }

    static func channelId(_ instance: TestInstance, _ username: String) async throws -> Int64 {
        let account = try #require(try await instance.stores.accounts.find(handle: Handle(name: username)))
        return try await instance.stores.channels.list(
            accountId: account.id, pagination: Pagination(), sort: .createdAt
        )
        .data[0].channel.id
    }

    /// Files left in the upload folders and among the originals: must be none after a refused upload.
    static func leftovers(_ instance: TestInstance) async throws -> [String] {
        let fm = FileManager.default
        let tmp = (try? fm.contentsOfDirectory(atPath: instance.layout.tmp))?.filter { $0 != "resumable-uploads" } ?? []
        let resumable = (try? fm.contentsOfDirectory(atPath: instance.layout.resumableUploads)) ?? []
        return tmp + (try await instance.media.keys(.originals)) + resumable
    }

    @Test("a real MP4 is stored byte for byte and the video waits for transcoding")
    func uploadMP4() async throws {
        let instance = try await TestInstance()
        defer { instance.remove() }
        let data = try Self.videoBytes()
        let channel = try await Self.channelId(instance, "root")
        try await instance.withClient { client in
            let token = try await client.login("root", TestInstance.rootPassword)
            var body = MultipartBody()
            body.field("name", "My first upload")
            body.field("channelId", String(channel))
            body.field("privacy", "1")
            body.field("tags[]", "first")
            body.field("tags[]", "upload")
            body.file("videofile", filename: "clip.mp4", data: data)
            body.close()
            let response = try await client.request(
                .post, "/api/v1/videos/upload", token: token, headers: [.contentType: body.contentType],
                body: body.buffer
            )
            #expect(response.status == .ok, "\(response.text)")
            let video = try #require(try response.json()["video"] as? [String: Any])
            let uuid = try #require(video["uuid"] as? String)
            #expect(video["id"] as? Int != nil)
            #expect((video["shortUUID"] as? String)?.count == 22)

            let storedBytes = try #require(try await instance.stored(.originals, "\(uuid).mp4"))
            #expect(Digest.sha256(storedBytes) == Digest.sha256(data))

            let details = try await client.request(.get, "/api/v1/videos/\(uuid)", token: token).json()
            #expect((details["state"] as? [String: Any])?["id"] as? Int == 2)  // TO_TRANSCODE
            #expect(details["tags"] as? [String] == ["first", "upload"])
            let quota = try await client.request(.get, "/api/v1/users/me/video-quota-used", token: token).json()
            #expect(quota["videoQuotaUsed"] as? Int == data.count)
        }
        let tmp = try FileManager.default.contentsOfDirectory(atPath: instance.layout.tmp)
        #expect(tmp == ["resumable-uploads"])
        #expect(try await instance.media.keys(.originals).count == 1)
    }

    @Test(
        "refused uploads leave nothing behind",
        arguments: [
            (
                "not a video", "not-video.mp4", Array("This is plain text, not a video at all.".utf8),
                HTTPResponse.Status.unprocessableContent
            ),
            ("empty", "empty.mp4", [], .unprocessableContent),
            ("bad extension", "clip.exe", Array("MZ".utf8), .unsupportedMediaType),
        ])
    func refused(label: String, filename: String, data: [UInt8], status: HTTPResponse.Status) async throws {
        let instance = try await TestInstance()
        defer { instance.remove() }
        let channel = try await Self.channelId(instance, "root")
        try await instance.withClient { client in
            let token = try await client.login("root", TestInstance.rootPassword)
            var body = MultipartBody()
            body.field("name", "Refused \(label)")
            body.field("channelId", String(channel))
            body.file("videofile", filename: filename, data: data)
            body.close()
            let response = try await client.request(
                .post, "/api/v1/videos/upload", token: token, headers: [.contentType: body.contentType],
                body: body.buffer
            )
            #expect(response.status == status, "\(label): \(response.text)")
            #expect(response.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            #expect(
                try await client.request(.get, "/api/v1/users/me/videos", token: token).json()["total"] as? Int == 0)
        }
        #expect(try await Self.leftovers(instance).isEmpty, "\(label)")
    }

    @Test("bad forms: missing fields, truncated body, other user's channel, quota")
    func badForms() async throws {
        let instance = try await TestInstance()
        defer { instance.remove() }
        let data = try Self.videoBytes()
        let rootChannel = try await Self.channelId(instance, "root")
        try await instance.withClient { client in
            let admin = try await client.login("root", TestInstance.rootPassword)
            let small = try await client.createUser("small", quota: 1000, adminToken: admin)
            let smallChannel = try await Self.channelId(instance, "small")

            func upload(_ token: String, _ build: (inout MultipartBody) -> Void, close: Bool = true) async throws
                -> TestResponse
            {
                var body = MultipartBody()
                build(&body)
                if close { body.close() }
                return try await client.request(
                    .post, "/api/v1/videos/upload", token: token, headers: [.contentType: body.contentType],
                    body: body.buffer
                )
            }
            let noName = try await upload(admin) {
                $0.field("channelId", String(rootChannel))
                $0.file("videofile", filename: "a.mp4", data: data)
            }
            #expect(noName.status == .badRequest)
            let noFile = try await upload(admin) {
                $0.field("name", "No file")
                $0.field("channelId", String(rootChannel))
            }
            #expect(noFile.status == .badRequest)
            let truncated = try await upload(
                admin,
                {
                    $0.field("name", "Truncated")
                    $0.field("channelId", String(rootChannel))
                    $0.file("videofile", filename: "a.mp4", data: data)
                }, close: false)
            #expect(truncated.status == .badRequest)
            let wrongChannel = try await upload(small) {
                $0.field("name", "Not my channel")
                $0.field("channelId", String(rootChannel))
                $0.file("videofile", filename: "a.mp4", data: data)
            }
            #expect(wrongChannel.status == .forbidden)
            let overQuota = try await upload(small) {
                $0.field("name", "Too big for me")
                $0.field("channelId", String(smallChannel))
                $0.file("videofile", filename: "a.mp4", data: data)
            }
            #expect(overQuota.status == .contentTooLarge)
            #expect(try overQuota.json()["code"] as? String == "quota_reached")
            let notMultipart = try await client.request(.post, "/api/v1/videos/upload", token: admin, json: "{}")
            #expect(notMultipart.status == .unsupportedMediaType)
            let anonymous = try await client.request(.post, "/api/v1/videos/upload")
            #expect(anonymous.status == .unauthorized)
        }
        #expect(try await Self.leftovers(instance).isEmpty)
    }
}
