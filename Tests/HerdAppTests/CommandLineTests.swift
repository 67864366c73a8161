import Foundation
import HerdCore
import HerdCrypto
import HerdTestSupport
import Testing

/// The real `herd` binary, started as an operator would, driven with curl.
@Suite("Command line and server process", .serialized, .ownThread)
struct CommandLineTests {
    static func scratch() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("herd-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("--help explains each command")
    func help() throws {
        let top = try HerdBinary.run(["--help"])
        #expect(top.status == 0)
        #expect(top.output.contains("serve"))
        #expect(top.output.contains("admin"))
        let serve = try HerdBinary.run(["serve", "--help"])
        #expect(serve.output.contains("--config"))
        let create = try HerdBinary.run(["admin", "create-user", "--help"])
        for option in ["--username", "--password", "--role", "--quota"] { #expect(create.output.contains(option)) }
    }

    @Test("a bad configuration file gets one line naming the key, and exit code 2")
    func badConfig() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "listen:\n  port: ninety\n".write(toFile: directory + "/bad.yaml", atomically: true, encoding: .utf8)
        let result = try HerdBinary.run(["serve", "--config", directory + "/bad.yaml"])
        #expect(result.status == 2)
        let lines = result.output.split(separator: "\n")
        #expect(lines.count == 1, "\(result.output)")
        #expect(result.output.contains("listen.port"))
        let viaEnvironment = try HerdBinary.run(["serve"], environment: ["HERD_CONFIG": directory + "/bad.yaml"])
        #expect(viaEnvironment.status == 2)
        let badEnvironment = try HerdBinary.run(
            ["serve"], environment: ["HERD_SIGNUP_ENABLED": "perhaps"], directory: directory)
        #expect(badEnvironment.status == 2)
        #expect(badEnvironment.output.contains("signup.enabled"))
    }

    @Test("with no configuration: ./storage with SQLite, a root password printed once, admin create-user while running")
    func embeddedDefault() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // The embedded default even when the suite runs on PostgreSQL (HERD_TEST_DATABASE).
        let embedded = ["HERD_DATABASE_URL": ""]
        let server = try ServerProcess(directory: directory, environment: embedded)
        defer { server.stop() }
        #expect(FileManager.default.fileExists(atPath: directory + "/storage/herd.sqlite"))
        let output = server.output
        let passwordLine = try #require(output.split(separator: "\n").first { $0.contains("Password:") })
        let password = try #require(passwordLine.split(separator: " ").last.map(String.init))
        let token = try Curl.login(server.baseURL, "root", password)
        let me = try Curl.json(
            try Curl.run(["-H", "Authorization: Bearer \(token)", server.baseURL + "/api/v1/users/me"]).body)
        #expect(me["username"] as? String == "root")

        // The admin command works against the same database while the server runs.
        let created = try HerdBinary.run(
            ["admin", "create-user", "--username", "teacher", "--password", "s3cret-pass", "--role", "moderator"],
            directory: directory
        )
        #expect(created.status == 0, "\(created.output)")
        let teacher = try Curl.login(server.baseURL, "teacher", "s3cret-pass")
        let teacherMe = try Curl.json(
            try Curl.run(["-H", "Authorization: Bearer \(teacher)", server.baseURL + "/api/v1/users/me"]).body)
        #expect((teacherMe["role"] as? [String: Any])?["id"] as? Int == 1)
        let duplicate = try HerdBinary.run(
            ["admin", "create-user", "--username", "teacher", "--password", "other-pass"], directory: directory
        )
        #expect(duplicate.status == 1)
        let badRole = try HerdBinary.run(
            ["admin", "create-user", "--username", "x", "--password", "other-pass", "--role", "king"],
            directory: directory
        )
        #expect(badRole.status != 0)

        // A restart does not print a new password.
        server.stop()
        let again = try ServerProcess(directory: directory, environment: embedded, port: server.port)
        defer { again.stop() }
        #expect(!again.output.contains("Password:"))
        _ = try Curl.login(again.baseURL, "root", password)
    }

    @Test("kill -9 in the middle of a resumable upload: the client asks where it stands and finishes")
    func killNineMidUpload() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let environment = ["HERD_ROOT_PASSWORD": "root-password"]
        var source = Array(try Data(contentsOf: URL(fileURLWithPath: Vectors.media("video_short.mp4"))))
        var generator = SystemRandomNumberGenerator()
        while source.count < 8 * 1024 * 1024 { source.append(UInt8.random(in: 0...255, using: &generator)) }
        let sourcePath = directory + "/source.mp4"
        try Data(source).write(to: URL(fileURLWithPath: sourcePath))
        let chunk = 1024 * 1024

        let first = try ServerProcess(directory: directory, environment: environment)
        let token = try Curl.login(first.baseURL, "root", "root-password")
        let me = try Curl.json(
            try Curl.run(["-H", "Authorization: Bearer \(token)", first.baseURL + "/api/v1/users/me"]).body)
        let channel = try #require((me["videoChannels"] as? [[String: Any]])?.first?["id"] as? Int)
        let opened = try Curl.run([
            "-X", "POST", first.baseURL + "/api/v1/videos/upload-resumable", "-H", "Authorization: Bearer \(token)",
            "-H", "Content-Type: application/json", "-H", "X-Upload-Content-Length: \(source.count)",
            "-H", "X-Upload-Content-Type: video/mp4",
            "--data", #"{"name":"Crash survivor","channelId":\#(channel),"filename":"source.mp4"}"#,
        ])
        #expect(opened.status == 201, "\(opened.body)")
        let location = try #require(Curl.header("Location", in: opened.headers))
        func send(_ server: ServerProcess, from start: Int) throws -> (Int, String) {
            let end = min(start + chunk, source.count) - 1
            let part = directory + "/part"
            try Data(source[start...end]).write(to: URL(fileURLWithPath: part))
            let response = try Curl.run([
                "-X", "PUT", server.baseURL + location, "-H", "Authorization: Bearer \(token)",
                "-H", "Content-Type: application/octet-stream", "-H",
                "Content-Range: bytes \(start)-\(end)/\(source.count)",
                "--data-binary", "@\(part)",
            ])
            return (response.status, response.body)
        }
        for start in stride(from: 0, to: 3 * chunk, by: chunk) { #expect(try send(first, from: start).0 == 308) }
        first.kill9()

        let second = try ServerProcess(directory: directory, environment: environment, port: first.port)
        defer { second.stop() }
        let status = try Curl.run([
            "-X", "PUT", second.baseURL + location, "-H", "Authorization: Bearer \(token)",
            "-H", "Content-Range: bytes */\(source.count)",
        ])
        #expect(status.status == 308)
        let range = try #require(Curl.header("Range", in: status.headers))
        let received = try #require(Int(range.split(separator: "-").last!)) + 1
        #expect(received == 3 * chunk)
        var last = (0, "")
        for start in stride(from: received, to: source.count, by: chunk) { last = try send(second, from: start) }
        #expect(last.0 == 200, "\(last.1)")
        let uuid = try #require((try Curl.json(last.1)["video"] as? [String: Any])?["uuid"] as? String)
        let stored = try runBlocking {
            try await TestObjectStorage.media(for: directory).read(.originals, "\(uuid).mp4", maxBytes: 1 << 30)
        }
        #expect(stored.map(Digest.sha256) == Digest.sha256(source))
    }
}

enum Vectors {
    /// `$HERD_VECTORS` (set by `make test`), else `../shared/vectors` beside the repository.
    static func media(_ name: String) -> String {
        if let configured = ProcessInfo.processInfo.environment["HERD_VECTORS"] {
            return configured + "/peertube/media/" + name
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/vectors/peertube/media/\(name)").path
    }
}

@Suite("herd transcode", .ownThread)
struct TranscodeCommandTests {
    @Test("transcodes a local file into HLS, web MP4 and images; refuses a bad file with a reason")
    func transcode() throws {
        let directory = try CommandLineTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try HerdBinary.run(
            ["transcode", Vectors.media("video_short.mp4"), "--out", directory + "/out", "--resolutions", "360,240"]
        )
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("100.0%"))
        for file in [
            "video_short-master.m3u8", "video_short-360.m3u8", "video_short-360-fragmented.mp4", "video_short-240.mp4",
            "video_short-segments-sha256.json", "video_short.jpg", "video_short-preview.jpg",
        ] {
            #expect(FileManager.default.fileExists(atPath: directory + "/out/" + file), "\(file)")
        }
        try Data("not a video".utf8).write(to: URL(fileURLWithPath: directory + "/bad.mp4"))
        let bad = try HerdBinary.run(["transcode", directory + "/bad.mp4", "--out", directory + "/bad"])
        #expect(bad.status == 1)
        #expect(bad.output.contains("not in a known video or audio container"))
    }
}

@Suite("Transcoding survives a crash", .ownThread)
struct TranscodeCrashTests {
    @Test("kill -9 while a video transcodes: after a restart the job runs again and the outputs are complete")
    func killDuringTranscode() throws {
        let directory = try CommandLineTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // A 20 s 720p clip keeps the transcoder busy long enough to be killed in the middle.
        let clip = directory + "/clip.mp4"
        let generate = Process()
        generate.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        generate.arguments = [
            "-y", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30:duration=20", "-f", "lavfi", "-i",
            "sine=frequency=440:sample_rate=48000:duration=20", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt",
            "yuv420p", "-c:a", "aac", "-shortest", clip,
        ]
        try #require(try ProcessExit(starting: generate).wait() == 0)

        let environment = ["HERD_ROOT_PASSWORD": "root-password"]
        let first = try ServerProcess(directory: directory, environment: environment)
        let token = try Curl.login(first.baseURL, "root", "root-password")
        let auth = "Authorization: Bearer \(token)"
        let me = try Curl.json(try Curl.run(["-H", auth, first.baseURL + "/api/v1/users/me"]).body)
        let channel = try #require((me["videoChannels"] as? [[String: Any]])?.first?["id"] as? Int)
        let uploaded = try Curl.run([
            "-H", auth, first.baseURL + "/api/v1/videos/upload", "-F", "videofile=@\(clip)", "-F", "name=Crash test",
            "-F", "channelId=\(channel)",
        ])
        #expect(uploaded.status == 200, "\(uploaded.body)")
        let uuid = try #require((try Curl.json(uploaded.body)["video"] as? [String: Any])?["uuid"] as? String)

        // Wait until the job is running and has made progress, then kill the server outright.
        var progressed = false
        for _ in 0..<300 where !progressed {
            let jobs = try Curl.json(try Curl.run(["-H", auth, first.baseURL + "/api/v1/jobs/active"]).body)
            if let job = (jobs["data"] as? [[String: Any]])?.first, (job["progress"] as? Double ?? 0) > 5 {
                progressed = true
            }
            usleep(50_000)
        }
        #expect(progressed, "the transcoding job never showed progress")
        // FFmpeg runs in the transcoding child only: the server process never maps its libraries (issue 16).
        #expect(!first.mappedFiles.contains("libavcodec"))
        #expect(first.childrenMappedFiles.contains { $0.contains("libavcodec") })
        first.kill9()
        let scratch = directory + "/storage/tmp/transcode-\(uuid)"
        #expect(FileManager.default.fileExists(atPath: scratch), "the killed job left its scratch folder")

        let second = try ServerProcess(directory: directory, environment: environment, port: first.port)
        defer { second.stop() }
        var video: [String: Any] = [:]
        for _ in 0..<1200 {
            video = try Curl.json(try Curl.run([second.baseURL + "/api/v1/videos/\(uuid)", "-H", auth]).body)
            if (video["state"] as? [String: Any])?["id"] as? Int != 2 { break }
            usleep(100_000)
        }
        #expect((video["state"] as? [String: Any])?["id"] as? Int == 1, "\(video)")
        // As a player gets them: from the server, or the bucket it redirects to (`TestObjectStorage`).
        let hls = second.baseURL + "/static/streaming-playlists/hls/\(uuid)"
        let master = try Curl.run(["-L", hls + "/\(uuid)-master.m3u8"]).body
        #expect(master.components(separatedBy: "#EXT-X-STREAM-INF").count - 1 == 4)
        for resolution in [720, 480, 360, 240] {
            let playlist = try Curl.run(["-L", hls + "/\(uuid)-\(resolution).m3u8"]).body
            #expect(playlist.contains("#EXT-X-ENDLIST"))
            #expect(playlist.components(separatedBy: "#EXTINF:").count - 1 == 5)  // 20 s in 4 s segments
        }
        #expect(!FileManager.default.fileExists(atPath: scratch))
        let jobs = try Curl.json(try Curl.run(["-H", auth, second.baseURL + "/api/v1/jobs/completed"]).body)
        #expect((jobs["data"] as? [[String: Any]])?.first?["attempts"] as? Int == 2)
    }
}

@Suite("Playback in a browser", .ownThread)
struct BrowserPlaybackTests {
    @Test("Chromium plays an uploaded video's master playlist past 2 s (MSE, byte-range fMP4)")
    func chromium() throws {
        let directory = try CommandLineTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = try ServerProcess(directory: directory, environment: ["HERD_ROOT_PASSWORD": "root-password"])
        defer { server.stop() }
        let token = try Curl.login(server.baseURL, "root", "root-password")
        let auth = "Authorization: Bearer \(token)"
        let me = try Curl.json(try Curl.run(["-H", auth, server.baseURL + "/api/v1/users/me"]).body)
        let channel = try #require((me["videoChannels"] as? [[String: Any]])?.first?["id"] as? Int)
        let uploaded = try Curl.run([
            "-H", auth, server.baseURL + "/api/v1/videos/upload", "-F",
            "videofile=@\(Vectors.media("video_short.mp4"))",
            "-F", "name=Browser test", "-F", "channelId=\(channel)",
        ])
        let uuid = try #require((try Curl.json(uploaded.body)["video"] as? [String: Any])?["uuid"] as? String)
        var video: [String: Any] = [:]
        for _ in 0..<600 {
            video = try Curl.json(try Curl.run([server.baseURL + "/api/v1/videos/\(uuid)"]).body)
            if (video["state"] as? [String: Any])?["id"] as? Int == 1 { break }
            usleep(100_000)
        }
        let master = try #require((video["streamingPlaylists"] as? [[String: Any]])?.first?["playlistUrl"] as? String)

        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("browser/play_hls.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, master, "2"]
        let pipe = Pipe()
        process.standardOutput = pipe
        let exit = try ProcessExit(starting: process)
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        exit.wait()
        let result = try #require(
            try JSONSerialization.jsonObject(with: output) as? [String: Any],
            "\(String(decoding: output, as: UTF8.self))")
        #expect(result["error"] is NSNull, "\(result)")
        #expect((result["currentTime"] as? Double ?? 0) > 2)
        #expect(result["videoHeight"] as? Int == 720)
    }
}
