import Foundation
import HerdCrypto
import Testing

/// The real `herd` binary, started as an operator would, driven with curl.
@Suite("Command line and server process", .serialized)
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
        let server = try ServerProcess(directory: directory)
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
        let again = try ServerProcess(directory: directory, port: server.port)
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
        let stored = try Data(contentsOf: URL(fileURLWithPath: directory + "/storage/originals/\(uuid).mp4"))
        #expect(Digest.sha256(Array(stored)) == Digest.sha256(source))
    }
}

enum Vectors {
    static func media(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/vectors/peertube/media/\(name)").path
    }
}

@Suite("herd transcode")
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
        #expect(bad.output.contains("not a readable video"))
    }
}
