import Foundation
import HerdApp
import HerdCore
import HerdJobs
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@Suite("Upload to published video")
struct TranscodingFlowTests {
    static func upload(_ client: any TestClientProtocol, token: String, channel: Int64, bytes: [UInt8], name: String)
        async throws -> String
    {
        var body = MultipartBody()
        body.field("name", name)
        body.field("channelId", String(channel))
        body.file("videofile", filename: "clip.mp4", data: bytes)
        body.close()
        let response = try await client.request(
            .post, "/api/v1/videos/upload", token: token, headers: [.contentType: body.contentType], body: body.buffer
        )
        #expect(response.status == .ok, "\(response.text)")
        return try #require((try response.json()["video"] as? [String: Any])?["uuid"] as? String)
    }

    static func workers(_ instance: TestInstance) -> JobWorkers {
        JobWorkers(
            store: instance.stores.jobs, handlers: instance.herd.jobHandlers, concurrency: 1,
            logger: Logger(label: "test")
        )
    }

    @Test("an upload is transcoded by its job and published with HLS, web videos and images, all served")
    func publish() async throws {
        let instance = try await TestInstance()
        defer { instance.remove() }
        let bytes = try LegacyUploadTests.videoBytes()
        let channel = try await LegacyUploadTests.channelId(instance, "root")
        try await instance.withClient { client in
            let token = try await client.login("root", TestInstance.rootPassword)
            let uuid = try await Self.upload(client, token: token, channel: channel, bytes: bytes, name: "To publish")
            let waiting = try await client.request(.get, "/api/v1/videos/\(uuid)", token: token).json()
            #expect((waiting["state"] as? [String: Any])?["id"] as? Int == 2)
            #expect((waiting["transcodingProgress"] as? [String: Any])?["state"] as? String == "waiting")

            #expect(try await Self.workers(instance).runNext())

            let video = try await client.request(.get, "/api/v1/videos/\(uuid)").json()
            #expect((video["state"] as? [String: Any])?["id"] as? Int == 1, "\(video["stateReason"] ?? "")")
            #expect(video["duration"] as? Int == 5)
            let webFiles = try #require(video["files"] as? [[String: Any]])
            #expect(
                webFiles.compactMap { ($0["resolution"] as? [String: Any])?["id"] as? Int } == [720, 480, 360, 240])
            let playlist = try #require((video["streamingPlaylists"] as? [[String: Any]])?.first)
            let hlsFiles = try #require(playlist["files"] as? [[String: Any]])
            #expect(hlsFiles.count == 4)
            func path(_ url: Any?) throws -> String {
                let text = try #require(url as? String)
                return String(text.dropFirst("http://localhost".count))
            }
            // Through Herd, or from the bucket it redirects to (`TestObjectStorage`).
            let master = try await client.fetch(.get, try path(playlist["playlistUrl"]))
            #expect(master.status == .ok)
            #expect(master.text.contains("#EXT-X-STREAM-INF:"))
            #expect(master.headers[.contentType] == "application/vnd.apple.mpegurl")
            #expect(try await client.fetch(.get, try path(playlist["segmentsSha256Url"])).status == .ok)
            let segment = try await client.fetch(
                .get, try path(hlsFiles[0]["fileUrl"]), headers: [.range: "bytes=0-1023"])
            #expect(segment.status == .partialContent)
            let web = try await client.fetch(.head, try path(webFiles[0]["fileUrl"]))
            #expect(web.status == .ok)
            #expect(web.headers[.contentLength] == String(webFiles[0]["size"] as? Int ?? -1))
            let thumbnail = try await client.request(
                .get, try path("http://localhost" + (video["thumbnailPath"] as? String ?? "")))
            #expect(thumbnail.status == .ok)
            #expect(thumbnail.headers[.contentType] == "image/jpeg")
            let listed = try await client.request(.get, "/api/v1/videos").jsonArray("data")
            #expect(listed.map { $0["uuid"] as? String } == [uuid])
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: instance.layout.tmp) == ["resumable-uploads"])
    }

    @Test("an audio upload is published as a 480p still picture with its sound")
    func audio() async throws {
        let instance = try await TestInstance()
        defer { instance.remove() }
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Vectors.media("sample.ogg"))))
        let channel = try await LegacyUploadTests.channelId(instance, "root")
        try await instance.withClient { client in
            let token = try await client.login("root", TestInstance.rootPassword)
            var body = MultipartBody()
            body.field("name", "A song")
            body.field("channelId", String(channel))
            body.file("videofile", filename: "song.ogg", contentType: "audio/ogg", data: bytes)
            body.close()
            let uploaded = try await client.request(
                .post, "/api/v1/videos/upload", token: token, headers: [.contentType: body.contentType],
                body: body.buffer
            )
            let uuid = try #require((try uploaded.json()["video"] as? [String: Any])?["uuid"] as? String)
            #expect(try await Self.workers(instance).runNext())
            let video = try await client.request(.get, "/api/v1/videos/\(uuid)").json()
            #expect((video["state"] as? [String: Any])?["id"] as? Int == 1, "\(video["stateReason"] ?? "")")
            #expect(video["duration"] as? Int == 6)
            let files = try #require(video["files"] as? [[String: Any]])
            #expect(files.compactMap { ($0["resolution"] as? [String: Any])?["id"] as? Int } == [480])
        }
    }

    @Test("a file that looks like an MP4 but is not decodable ends TRANSCODING_FAILED with a reason")
    func broken() async throws {
        let instance = try await TestInstance()
        defer { instance.remove() }
        var noisy = Array(try LegacyUploadTests.videoBytes().prefix(40))  // a valid ftyp box, then noise
        var generator = SystemRandomNumberGenerator()
        while noisy.count < 50_000 { noisy.append(UInt8.random(in: 0...255, using: &generator)) }
        let bytes = noisy
        let channel = try await LegacyUploadTests.channelId(instance, "root")
        try await instance.withClient { client in
            let token = try await client.login("root", TestInstance.rootPassword)
            let uuid = try await Self.upload(client, token: token, channel: channel, bytes: bytes, name: "Broken")
            #expect(try await Self.workers(instance).runNext())
            let video = try await client.request(.get, "/api/v1/videos/\(uuid)", token: token).json()
            #expect((video["state"] as? [String: Any])?["id"] as? Int == 7)
            #expect((video["stateReason"] as? String)?.isEmpty == false)
            let failed = try await client.request(.get, "/api/v1/jobs/failed", token: token).jsonArray("data")
            #expect(failed.count == 1)
            #expect(try await client.request(.get, "/api/v1/config").status == .ok)  // still serving
        }
    }
}
