import Foundation
import HTTPTypes
import HerdAPI
import HerdApp
import HerdCore
import HerdJobs
import HerdProcessing
import HerdSeeder
import HerdTestSupport
import HerdTracker
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// Private media, PeerTube's way (issue 14): the files of private, internal and password-protected videos are in
/// private folders, served only to whoever may see the video (bearer token, file token, password); a change of
/// privacy moves them and withdraws or restores their torrents. Real uploads, real transcodes, the real router.
@Suite("Private media")
struct PrivateMediaTests {
    /// One rung keeps the transcode short.
    static func instance(_ configure: (inout [String: String]) -> Void = { _ in }) async throws -> TestInstance {
        try await TestInstance { values in
            for resolution in [144, 360, 480, 720, 1080, 1440, 2160] {
                values["transcoding.resolutions.\(resolution)p"] = "false"
            }
            values["transcoding.resolutions.240p"] = "true"
            values["transcoding.keep_original_resolution"] = "false"
            configure(&values)
        }
    }

    /// Every media URL the API gives for a video (playlists, segments' file, hashes, web MP4s, downloads,
    /// torrents), as paths, plus the media playlist the master names.
    static func mediaPaths(_ client: any TestClientProtocol, _ uuid: String, token: String?) async throws -> [String] {
        let video = try await client.request(.get, "/api/v1/videos/\(uuid)", token: token).json()
        let playlist = try #require((video["streamingPlaylists"] as? [[String: Any]])?.first)
        let files = (video["files"] as? [[String: Any]] ?? []) + (playlist["files"] as? [[String: Any]] ?? [])
        var urls = [playlist["playlistUrl"], playlist["segmentsSha256Url"]].compactMap { $0 as? String }
        for file in files {
            for key in ["fileUrl", "fileDownloadUrl", "torrentUrl", "torrentDownloadUrl"] {
                if let url = file[key] as? String { urls.append(url) }
            }
        }
        let paths = urls.map { String($0.dropFirst("http://localhost".count)) }
        let master = paths[0]
        let folder = master[..<master.lastIndex(of: "/")!]
        return paths + ["\(folder)/\(uuid)-240.m3u8"]
    }

    static func statuses(
        _ client: any TestClientProtocol, _ paths: [String], token: String? = nil, headers: HTTPFields = [:],
        query: String = ""
    ) async throws -> Set<HTTPResponse.Status> {
        var statuses: Set<HTTPResponse.Status> = []
        for path in paths {
            let separator = path.contains("?") ? "&" : "?"
            let response = try await client.fetch(
                .get, query.isEmpty ? path : path + separator + query, token: token, headers: headers)
            statuses.insert(response.status)
        }
        return statuses
    }

    static func update(_ client: any TestClientProtocol, _ uuid: String, token: String, _ json: String) async throws
        -> TestResponse
    {
        try await client.request(.put, "/api/v1/videos/\(uuid)", token: token, json: json)
    }

    @Test(
        "private, internal and password-protected files: refused anonymously, served with a bearer, a file token or the password"
    )
    func privacyLevels() async throws {
        let instance = try await Self.instance()
        defer { instance.remove() }
        let channel = try await LegacyUploadTests.channelId(instance, "root")
        let bytes = try LegacyUploadTests.videoBytes()
        try await instance.withClient { client in
            let root = try await client.login("root", TestInstance.rootPassword)
            let other = try await client.createUser("viewer", adminToken: root)
            let uuid = try await TranscodingFlowTests.upload(
                client, token: root, channel: channel, bytes: bytes, name: "Soon private")
            #expect(try await TranscodingFlowTests.workers(instance).runNext())
            let tracker = try #require(instance.herd.tracker)
            let files = try await instance.stores.videoFiles.list(
                videoId: try #require(try await instance.stores.videos.find(.uuid(UUID(uuidString: uuid)!))).video.id)
            let hashes = files.compactMap { $0.infoHash.flatMap(InfoHash.init(hex:)) }
            #expect(hashes.count == files.count && !hashes.isEmpty)
            #expect(hashes.allSatisfy(tracker.isKnown))

            let publicPaths = try await Self.mediaPaths(client, uuid, token: nil)
            #expect(publicPaths.count == 11)
            #expect(try await Self.statuses(client, publicPaths) == [.ok])

            // Private: the old URLs stop at once, torrents leave the tracker, the new URLs need the right person.
            #expect(try await Self.update(client, uuid, token: root, "{\"privacy\":3}").status == .noContent)
            // Static files and torrents are gone from their public URLs; downloads now need the right person.
            let publicStatic = publicPaths.filter { !$0.hasPrefix("/download/") || $0.hasSuffix(".torrent") }
            #expect(try await Self.statuses(client, publicStatic) == [.notFound])
            #expect(try await Self.statuses(client, publicPaths).isDisjoint(with: [.ok, .partialContent]))
            #expect(!hashes.contains(where: tracker.isKnown))
            let privatePaths = try await Self.mediaPaths(client, uuid, token: root)
            #expect(privatePaths.count == 7)  // no torrents
            #expect(privatePaths.allSatisfy { $0.contains("/private/") || $0.hasPrefix("/download/") })
            #expect(try await Self.statuses(client, privatePaths).isDisjoint(with: [.ok, .partialContent]))
            #expect(
                try await Self.statuses(client, privatePaths, token: other).isDisjoint(with: [.ok, .partialContent]))
            #expect(try await Self.statuses(client, privatePaths, token: root) == [.ok])
            // The public mounts do not reach into the private folders.
            let sneaky = privatePaths.filter { $0.contains("/private/") }.map {
                $0.replacingOccurrences(of: "/private/", with: "/private/../private/")
            }
            #expect(try await Self.statuses(client, sneaky, token: nil).isDisjoint(with: [.ok, .partialContent]))

            // A file token, from whoever may see the video, opens the files to anyone holding it.
            #expect(try await client.request(.post, "/api/v1/videos/\(uuid)/token").status == .notFound)
            let issued = try await client.request(.post, "/api/v1/videos/\(uuid)/token", token: root).json()
            let fileToken = try #require((issued["files"] as? [String: Any])?["token"] as? String)
            #expect((issued["files"] as? [String: Any])?["expires"] is String)
            #expect(try await Self.statuses(client, privatePaths, query: "videoFileToken=\(fileToken)") == [.ok])
            #expect(
                try await Self.statuses(client, privatePaths, query: "videoFileToken=\(String(fileToken.reversed()))")
                    .isDisjoint(with: [.ok, .partialContent]))
            // With reinjectVideoFileToken, playlists carry the token on to what they name.
            let master = try await client.request(
                .get, privatePaths[0] + "?videoFileToken=\(fileToken)&reinjectVideoFileToken=true")
            #expect(master.status == .ok)
            let variant = try #require(master.text.split(separator: "\n").first { !$0.hasPrefix("#") })
            #expect(variant.hasSuffix("?videoFileToken=\(fileToken)&reinjectVideoFileToken=true"))
            let folder = privatePaths[0][..<privatePaths[0].lastIndex(of: "/")!]
            let media = try await client.request(.get, "\(folder)/\(variant)")
            #expect(media.status == .ok)
            let mediaLines = media.text.split(separator: "\n")
            #expect(
                mediaLines.filter { !$0.hasPrefix("#") }.allSatisfy { $0.hasSuffix("?videoFileToken=\(fileToken)") })
            #expect(mediaLines.contains { $0.hasPrefix("#EXT-X-MAP:URI=\"") && $0.contains("?videoFileToken=") })

            // Internal: any logged-in user.
            #expect(try await Self.update(client, uuid, token: root, "{\"privacy\":4}").status == .noContent)
            #expect(try await Self.statuses(client, privatePaths).isDisjoint(with: [.ok, .partialContent]))
            #expect(try await Self.statuses(client, privatePaths, token: other) == [.ok])
            #expect(try await Self.statuses(client, publicStatic) == [.notFound])

            // Password-protected (PeerTube 6): passwords required, then the video and its files open with one.
            #expect(try await Self.update(client, uuid, token: root, "{\"privacy\":5}").status == .badRequest)
            #expect(
                try await Self.update(client, uuid, token: root, "{\"privacy\":5,\"videoPasswords\":[\"x\"]}").status
                    == .badRequest)
            #expect(
                try await Self.update(
                    client, uuid, token: root, "{\"privacy\":5,\"videoPasswords\":[\"open sesame\",\"letmein\"]}"
                ).status == .noContent)
            let anonymous = try await client.request(.get, "/api/v1/videos/\(uuid)")
            #expect(anonymous.status == .forbidden)
            #expect(try anonymous.json()["code"] as? String == "video_requires_password")
            let wrong = try await client.request(
                .get, "/api/v1/videos/\(uuid)", headers: [VideoPasswordTests.header: "sesame"])
            #expect(try wrong.json()["code"] as? String == "incorrect_video_password")
            let right: HTTPFields = [VideoPasswordTests.header: "letmein"]
            #expect(try await client.request(.get, "/api/v1/videos/\(uuid)", headers: right).status == .ok)
            #expect(try await Self.statuses(client, privatePaths).isDisjoint(with: [.ok, .partialContent]))
            #expect(
                try await Self.statuses(client, privatePaths, token: other).isDisjoint(with: [.ok, .partialContent]))
            #expect(try await Self.statuses(client, privatePaths, headers: right) == [.ok])
            let passwordToken = try await client.request(.post, "/api/v1/videos/\(uuid)/token", headers: right).json()
            let token = try #require((passwordToken["files"] as? [String: Any])?["token"] as? String)
            #expect(try await Self.statuses(client, privatePaths, query: "videoFileToken=\(token)") == [.ok])

            // Downloads follow downloadEnabled.
            #expect(
                try await Self.update(client, uuid, token: root, "{\"downloadEnabled\":false}").status == .noContent)
            let downloads = privatePaths.filter { $0.hasPrefix("/download/") }
            #expect(!downloads.isEmpty)
            #expect(try await Self.statuses(client, downloads, token: root) == [.forbidden])
            #expect(try await Self.update(client, uuid, token: root, "{\"downloadEnabled\":true}").status == .noContent)

            // Public again: the public URLs play, the torrents are tracked again, the private URLs are gone.
            #expect(try await Self.update(client, uuid, token: root, "{\"privacy\":1}").status == .noContent)
            #expect(try await Self.statuses(client, publicPaths) == [.ok])
            #expect(hashes.allSatisfy(tracker.isKnown))
            #expect(
                try await Self.statuses(client, privatePaths.filter { $0.contains("/private/") }, token: root)
                    == [.notFound])
            #expect(try await Self.mediaPaths(client, uuid, token: nil) == publicPaths)
        }
    }

    @Test(
        "an upload made private is published into the private folders, never seeded; a restart puts stray files right")
    func privateFromTheStart() async throws {
        let instance = try await Self.instance()
        defer { instance.remove() }
        let channel = try await LegacyUploadTests.channelId(instance, "root")
        try await instance.withClient { client in
            let root = try await client.login("root", TestInstance.rootPassword)
            var body = MultipartBody()
            body.field("name", "Private from the start")
            body.field("channelId", String(channel))
            body.field("privacy", "3")
            body.file("videofile", filename: "clip.mp4", data: try LegacyUploadTests.videoBytes())
            body.close()
            let uploaded = try await client.request(
                .post, "/api/v1/videos/upload", token: root, headers: [.contentType: body.contentType],
                body: body.buffer)
            #expect(uploaded.status == .ok)
            let uuid = try #require((try uploaded.json()["video"] as? [String: Any])?["uuid"] as? String)
            #expect(try await TranscodingFlowTests.workers(instance).runNext())
            let id = UUID(uuidString: uuid)!
            #expect(await instance.media.exists(.privateHLS, uuid))
            #expect(!(await instance.media.exists(.hls, uuid)))
            let video = try #require(try await instance.stores.videos.find(.uuid(id)))
            let tracker = try #require(instance.herd.tracker)
            let files = try await instance.stores.videoFiles.list(videoId: video.video.id)
            #expect(!files.contains { $0.infoHash.flatMap(InfoHash.init(hex:)).map(tracker.isKnown) ?? false })
            let paths = try await Self.mediaPaths(client, uuid, token: root)
            #expect(try await Self.statuses(client, paths, token: root) == [.ok])
            #expect(try await Self.statuses(client, paths).isDisjoint(with: [.ok, .partialContent]))

            // A crash half-way through a move (the HLS folder back in the public one): the next start moves it.
            try await instance.media.move(uuid, from: .privateHLS, to: .hls)
            #expect(try await instance.herd.processing.privateFiles.reconcile(logger: .init(label: "t")) == 1)
            #expect(await instance.media.exists(.privateHLS, uuid))
            #expect(!(await instance.media.exists(.hls, uuid)))
            #expect(try await Self.statuses(client, paths, token: root) == [.ok])
        }
    }
}

/// A video deleted while it transcodes leaves nothing behind where files are served.
@Suite("Deleted while transcoding")
struct DeletedWhileTranscodingTests {
    @Test("the transcode finishes, and its outputs go nowhere public or private")
    func deletedMidTranscode() async throws {
        let instance = try await PrivateMediaTests.instance()
        defer { instance.remove() }
        let channel = try await LegacyUploadTests.channelId(instance, "root")
        // A 20 s clip keeps the transcoder busy while the video is deleted.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("herd-del-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let clip = directory.appendingPathComponent("clip.mp4").path
        let made = try await onOwnThread {
            try Subprocess.run(
                "/usr/bin/ffmpeg",
                [
                    "-y", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30:duration=20", "-c:v",
                    "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", clip,
                ], capture: .standardError)
        }
        try #require(made.status == 0, "\(made.output)")
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: clip)))
        try await instance.withClient { client in
            let root = try await client.login("root", TestInstance.rootPassword)
            let uuid = try await TranscodingFlowTests.upload(
                client, token: root, channel: channel, bytes: bytes, name: "Soon gone")
            let job = Task { try await TranscodingFlowTests.workers(instance).runNext() }
            // Deleted once the transcode has made progress.
            var progressed = false
            for _ in 0..<600 where !progressed {
                let running = try await instance.stores.jobs.list(
                    state: .running, kind: nil, pagination: Pagination(count: 10))
                progressed = running.data.contains { ($0.progress ?? 0) > 0 }
                if !progressed { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(progressed, "the transcode never showed progress")
            #expect(try await client.request(.delete, "/api/v1/videos/\(uuid)", token: root).status == .noContent)
            #expect(try await job.value)
            for kind in MediaKind.allCases {
                let left = try await instance.media.keys(kind).filter { $0.hasPrefix(uuid) }
                #expect(left.isEmpty, "\(kind): \(left)")
            }
        }
    }
}

/// PeerTube 6's password endpoints.
@Suite("Video passwords")
struct VideoPasswordTests {
    static let header = HTTPField.Name("x-peertube-video-password")!

    @Test("list, replace and delete passwords; the last one stays; only for protected videos and their managers")
    func endpoints() async throws {
        let instance = try await TestInstance()
        defer { instance.remove() }
        let video = try await VideosTests.makeVideo(instance, owner: "root", name: "Protected")
        try await instance.withClient { client in
            let root = try await client.login("root", TestInstance.rootPassword)
            let other = try await client.createUser("someone", adminToken: root)
            let path = "/api/v1/videos/\(video.id)/passwords"
            #expect(try await client.request(.get, path, token: root).status == .badRequest)  // public video
            #expect(
                try await client.request(
                    .put, "/api/v1/videos/\(video.id)", token: root,
                    json: "{\"privacy\":5,\"videoPasswords\":[\"alpha\",\"beta\"]}"
                ).status == .noContent)
            let listed = try await client.request(.get, path, token: root).json()
            #expect(listed["total"] as? Int == 2)
            let data = try #require(listed["data"] as? [[String: Any]])
            #expect(data.compactMap { $0["password"] as? String } == ["alpha", "beta"])
            #expect(try await client.request(.get, path, token: other).status == .forbidden)
            #expect(try await client.request(.get, path).status == .unauthorized)
            #expect(
                try await client.request(.put, path, token: root, json: "{\"passwords\":[\"gamma\",\"gamma\"]}").status
                    == .badRequest)
            #expect(
                try await client.request(.put, path, token: root, json: "{\"passwords\":[\"gamma\"]}").status
                    == .noContent)
            let gamma = try #require(try await client.request(.get, path, token: root).jsonArray("data").first)
            let gammaId = try #require(gamma["id"] as? Int)
            #expect(try await client.request(.delete, "\(path)/\(gammaId)", token: root).status == .forbidden)
            #expect(try await client.request(.delete, "\(path)/999999", token: root).status == .notFound)
            #expect(
                try await client.request(.get, "/api/v1/videos/\(video.id)", headers: [Self.header: "gamma"]).status
                    == .ok)
            #expect(
                try await client.request(.get, "/api/v1/videos/\(video.id)", headers: [Self.header: "alpha"]).status
                    == .forbidden)
        }
    }
}
