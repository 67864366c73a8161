import Foundation
import HerdTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 14, against real `herd serve` processes on loopback: what a hostile network, a hostile upload or a plain
/// mishap (a taken port, a signal) must not do to the server.
@Suite("Security", .serialized, .ownThread)
struct SecurityTests {
    static func scratch() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("herd-sec-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("a start on a taken HTTP or seeder port ends at once with one clear line and a non-zero exit")
    func takenPorts() throws { try Self.takenPorts() }

    static func takenPorts() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Another program holds this port.
        let taken = try LoopbackListener()

        let http = try ServerProcess(directory: directory, port: taken.port, waits: false)
        defer { http.stop() }
        let httpStatus = http.exitStatus(within: 60)
        #expect(httpStatus != nil && httpStatus != 0, "still running or exited 0: \(http.output)")
        #expect(http.output.contains("Herd could not start: the HTTP server cannot listen on 127.0.0.1:\(taken.port)"))
        #expect(!http.output.contains("Herd is listening"))

        let seeder = try ServerProcess(
            directory: directory, environment: ["HERD_P2P_SEEDER_PORT": String(taken.port)], waits: false)
        defer { seeder.stop() }
        let seederStatus = seeder.exitStatus(within: 60)
        #expect(seederStatus != nil && seederStatus != 0, "still running or exited 0: \(seeder.output)")
        #expect(seeder.output.contains("Herd could not start: the seeder cannot listen on 127.0.0.1:\(taken.port)"))
        #expect(!seeder.output.contains("Herd is listening"))
    }

    @Test("SIGTERM and SIGINT stop the server within the grace period", arguments: [SIGTERM, SIGINT])
    func signals(signal: Int32) throws { try Self.signals(signal) }

    static func signals(_ signal: Int32) throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = try ServerProcess(directory: directory)
        defer { server.stop() }
        #expect(try Curl.run([server.baseURL + "/api/v1/config"]).status == 200)
        server.signal(signal)
        let status = server.exitStatus(within: 30)
        #expect(status != nil, "still running 30 s after the signal: \(server.output)")
        #expect(server.output.contains("Herd stopped"))
    }

    /// A TCP connection from `source` (a loopback address of our choosing) to `port`, blocking; -1 on failure.
    static func connect(from source: String, to port: Int) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return -1 }
        var local = sockaddr_in()
        local.sin_family = sa_family_t(AF_INET)
        local.sin_addr.s_addr = inet_addr(source)
        var remote = sockaddr_in()
        remote.sin_family = sa_family_t(AF_INET)
        remote.sin_addr.s_addr = inet_addr("127.0.0.1")
        remote.sin_port = in_port_t(UInt16(port).bigEndian)
        let ok =
            withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
            && withUnsafePointer(to: &remote) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
        guard ok else {
            close(fd)
            return -1
        }
        return fd
    }

    /// The sockets of `fds` the server has not closed yet, after waiting up to `timeout` ms for news on any of them
    /// (a closed socket reads end of file or an error; 0x2000 is POLLRDHUP, which Glibc hides behind _GNU_SOURCE).
    static func stillOpen(_ fds: [Int32], timeout: Int32) -> [Int32] {
        var entries = fds.map { pollfd(fd: $0, events: Int16(POLLIN | 0x2000), revents: 0) }
        guard poll(&entries, nfds_t(entries.count), timeout) > 0 else { return fds }
        return entries.filter { entry in
            guard entry.revents != 0 else { return true }
            var byte: UInt8 = 0
            return recv(entry.fd, &byte, 1, Int32(MSG_DONTWAIT)) > 0
        }.map(\.fd)
    }

    @Test(
        "2,000 half-sent requests from one address: most refused at once, the rest closed at the idle timeout; others are served throughout"
    )
    func halfOpenConnections() throws { try Self.halfOpenConnections() }

    static func halfOpenConnections() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = try ServerProcess(directory: directory, environment: ["HERD_WEBSERVER_IDLE_TIMEOUT": "3s"])
        defer { server.stop() }
        var sockets: [Int32] = []
        defer { for fd in sockets { close(fd) } }
        let started = Date()
        for _ in 0..<2000 {
            let fd = Self.connect(from: "127.0.0.2", to: server.port)
            guard fd >= 0 else { continue }
            _ = "GET /api/v1/con".withCString { send(fd, $0, 15, Int32(MSG_NOSIGNAL)) }
            sockets.append(fd)
        }
        #expect(sockets.count == 2000)
        // Meanwhile another client is served, again and again.
        var served = 0
        while Date().timeIntervalSince(started) < 4 || served < 5 {
            if try Curl.run(["--max-time", "5", server.baseURL + "/api/v1/config"]).status == 200 { served += 1 }
            if served >= 20 { break }
        }
        #expect(served >= 5)
        // Every half-sent request ends: at once past the 256 per address, within the idle timeout for the rest.
        var open = sockets
        let deadline = Date() + 20
        while !open.isEmpty, Date() < deadline {
            open = Self.stillOpen(open, timeout: 200)
        }
        #expect(open.isEmpty, "\(open.count) connections still open \(Date().timeIntervalSince(started)) s after")
        #expect(Date().timeIntervalSince(started) < 3 + 15)
        #expect(try Curl.run([server.baseURL + "/api/v1/config"]).status == 200)
    }

    /// Logins with a wrong password from `forwardedFor`, through the proxy that curl plays on loopback.
    static func login(_ server: ServerProcess, forwardedFor: String) throws -> (status: Int, headers: String) {
        let client = try Curl.run([server.baseURL + "/api/v1/oauth-clients/local"]).body
        let object = try JSONSerialization.jsonObject(with: Data(client.utf8)) as? [String: Any]
        let id = object?["client_id"] as? String ?? ""
        let secret = object?["client_secret"] as? String ?? ""
        let result = try Curl.run([
            "-H", "X-Forwarded-For: \(forwardedFor)", server.baseURL + "/api/v1/users/token", "-d",
            "client_id=\(id)&client_secret=\(secret)&grant_type=password&username=root&password=wrong",
        ])
        return (result.status, result.headers)
    }

    @Test(
        "forwarded addresses count only from trusted proxies: the login limit is per client behind one, global otherwise"
    )
    func trustedProxies() throws { try Self.trustedProxies() }

    static func trustedProxies() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for folder in ["a", "b"] {
            try FileManager.default.createDirectory(atPath: directory + "/" + folder, withIntermediateDirectories: true)
        }
        let limit = ["HERD_RATES_LIMIT_LOGIN_MAX": "3"]
        // Not trusted: whatever X-Forwarded-For says, every request is 127.0.0.1's.
        let untrusted = try ServerProcess(directory: directory + "/a", environment: limit)
        for _ in 0..<3 { #expect(try Self.login(untrusted, forwardedFor: "198.51.100.1").status == 400) }
        let refused = try Self.login(untrusted, forwardedFor: "198.51.100.2")
        #expect(refused.status == 429)
        #expect(refused.headers.lowercased().contains("retry-after: "))
        untrusted.stop()
        // Trusted (loopback is the proxy): each forwarded client has its own limit; a forged hop before a real one
        // does not help.
        let trusted = try ServerProcess(
            directory: directory + "/b",
            environment: limit.merging(["HERD_WEBSERVER_TRUSTED_PROXIES": "127.0.0.1/32"]) { $1 })
        defer { trusted.stop() }
        for _ in 0..<3 { #expect(try Self.login(trusted, forwardedFor: "198.51.100.1").status == 400) }
        #expect(try Self.login(trusted, forwardedFor: "198.51.100.1").status == 429)
        #expect(try Self.login(trusted, forwardedFor: "203.0.113.5, 198.51.100.1").status == 429)
        #expect(try Self.login(trusted, forwardedFor: "198.51.100.2").status == 400)
    }

    /// A 20 s 720p clip: long enough to stop a transcode in the middle.
    static func clip(in directory: String) throws -> String {
        let clip = directory + "/clip.mp4"
        let result = try Subprocess.run(
            "/usr/bin/ffmpeg",
            [
                "-y", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30:duration=20", "-f", "lavfi",
                "-i", "sine=frequency=440:sample_rate=48000:duration=20", "-c:v", "libx264", "-preset", "ultrafast",
                "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", clip,
            ], capture: .standardError)
        try #require(result.status == 0, "\(result.output)")
        return clip
    }

    /// Logs in as root and uploads `clip`; returns the bearer header and the video's UUID.
    static func upload(_ clip: String, to server: ServerProcess) throws -> (auth: String, uuid: String) {
        let auth = "Authorization: Bearer " + (try Curl.login(server.baseURL, "root", "root-password"))
        let me = try Curl.json(try Curl.run(["-H", auth, server.baseURL + "/api/v1/users/me"]).body)
        let channel = try #require((me["videoChannels"] as? [[String: Any]])?.first?["id"] as? Int)
        let uploaded = try Curl.run([
            "-H", auth, server.baseURL + "/api/v1/videos/upload", "-F", "videofile=@\(clip)", "-F", "name=Stopped",
            "-F", "channelId=\(channel)",
        ])
        #expect(uploaded.status == 200, "\(uploaded.body)")
        return (auth, try #require((try Curl.json(uploaded.body)["video"] as? [String: Any])?["uuid"] as? String))
    }

    /// Makes the video private (`PUT /api/v1/videos/{id}`), expecting 204.
    static func makePrivate(_ uuid: String, on server: ServerProcess, auth: String) throws {
        let changed = try Curl.run([
            "-X", "PUT", "-H", auth, "-H", "Content-Type: application/json", "--data", #"{"privacy":3}"#,
            server.baseURL + "/api/v1/videos/\(uuid)",
        ])
        #expect(changed.status == 204, "\(changed.body)")
    }

    /// The pids of `server`'s transcoding children (`herd transcode-job`).
    static func transcoders(of server: ServerProcess) -> [Int32] {
        let result = try? Subprocess.run(
            "/usr/bin/pgrep", ["-P", String(server.pid), "-f", "transcode-job"])
        return (result?.output ?? "").split(separator: "\n").compactMap { Int32($0) }
    }

    /// Waits (bounded) until `server` has a transcoding child, and returns its pid.
    static func waitForTranscoder(_ server: ServerProcess, seconds: Double = 90) -> Int32? {
        let deadline = Date() + seconds
        while Date() < deadline {
            if let pid = transcoders(of: server).first { return pid }
            usleep(20_000)
        }
        return nil
    }

    static func state(_ server: ServerProcess, _ uuid: String, auth: String) throws -> [String: Any] {
        try Curl.json(try Curl.run([server.baseURL + "/api/v1/videos/\(uuid)", "-H", auth]).body)
    }

    @Test("a transcoder killed three times (kill -9) fails its video with the reason; the server serves throughout")
    func transcoderKilled() throws { try Self.transcoderKilled() }

    static func transcoderKilled() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let clip = try Self.clip(in: directory)
        let server = try ServerProcess(directory: directory, environment: ["HERD_ROOT_PASSWORD": "root-password"])
        defer { server.stop() }
        let (auth, uuid) = try Self.upload(clip, to: server)
        for attempt in 1...3 {
            // The first run starts at once, the retries after 10 and 20 s of backoff.
            let pid = try #require(Self.waitForTranscoder(server), "no transcoder for attempt \(attempt)")
            kill(pid, SIGKILL)
            #expect(try Curl.run([server.baseURL + "/api/v1/config"]).status == 200)
        }
        var video: [String: Any] = [:]
        for _ in 0..<600 {
            video = try Self.state(server, uuid, auth: auth)
            if (video["state"] as? [String: Any])?["id"] as? Int == 7 { break }
            usleep(100_000)
        }
        #expect((video["state"] as? [String: Any])?["id"] as? Int == 7, "\(video)")
        #expect((video["stateReason"] as? String)?.contains("stopped on this file 3 times") == true, "\(video)")
        #expect(try Curl.run([server.baseURL + "/api/v1/config"]).status == 200)
        #expect(server.exitStatus(within: 0) == nil, "the server died")
    }

    @Test(
        "SIGTERM during a transcode ends the server (and its transcoder) at once; after a restart the video is published"
    )
    func stopDuringTranscode() throws { try Self.stopDuringTranscode() }

    static func stopDuringTranscode() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let clip = try Self.clip(in: directory)
        let environment = ["HERD_ROOT_PASSWORD": "root-password"]
        let first = try ServerProcess(directory: directory, environment: environment)
        let (auth, uuid) = try Self.upload(clip, to: first)
        let child = try #require(Self.waitForTranscoder(first))
        first.signal(SIGTERM)
        #expect(first.exitStatus(within: 15) != nil, "still running 15 s after SIGTERM: \(first.output.suffix(2000))")
        // The transcoder went with it (reaped by the killed server's parent or gone: kill(pid, 0) fails).
        var gone = false
        for _ in 0..<100 where !gone {
            gone = kill(child, 0) != 0
            if !gone { usleep(50_000) }
        }
        #expect(gone, "the transcoder outlived its server")

        let second = try ServerProcess(directory: directory, environment: environment, port: first.port)
        defer { second.stop() }
        var video: [String: Any] = [:]
        for _ in 0..<1200 {
            video = try Self.state(second, uuid, auth: auth)
            if (video["state"] as? [String: Any])?["id"] as? Int != 2 { break }
            usleep(100_000)
        }
        #expect((video["state"] as? [String: Any])?["id"] as? Int == 1, "\(video)")
    }

    @Test(
        "SIGTERM during a resumable upload ends the server at once; after a restart the upload resumes where it stands")
    func stopDuringUpload() throws { try Self.stopDuringUpload() }

    static func stopDuringUpload() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let clip = try Self.clip(in: directory)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: clip)[.size] as? Int)
        let environment = ["HERD_ROOT_PASSWORD": "root-password"]
        let first = try ServerProcess(directory: directory, environment: environment)
        let auth = "Authorization: Bearer " + (try Curl.login(first.baseURL, "root", "root-password"))
        let me = try Curl.json(try Curl.run(["-H", auth, first.baseURL + "/api/v1/users/me"]).body)
        let channel = try #require((me["videoChannels"] as? [[String: Any]])?.first?["id"] as? Int)
        let opened = try Curl.run([
            "-X", "POST", first.baseURL + "/api/v1/videos/upload-resumable", "-H", auth,
            "-H", "Content-Type: application/json", "-H", "X-Upload-Content-Length: \(size)",
            "--data", #"{"name":"Interrupted","channelId":\#(channel),"filename":"clip.mp4"}"#,
        ])
        #expect(opened.status == 201, "\(opened.body)")
        let location = try #require(Curl.header("Location", in: opened.headers))
        let id = try #require(location.split(separator: "=").last.map(String.init))
        // One slow PUT of the whole file (64 KiB/s), cut by SIGTERM once some of it is stored.
        let slow = Process()
        slow.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        slow.arguments = [
            "-s", "-o", "/dev/null", "-X", "PUT", first.baseURL + location, "-H", auth, "--limit-rate", "64k",
            "-H", "Content-Range: bytes 0-\(size - 1)/\(size)", "--data-binary", "@\(clip)",
        ]
        let slowExit = try ProcessExit(starting: slow)
        let partial = directory + "/storage/tmp/resumable-uploads/\(id)"
        var stored = 0
        for _ in 0..<600 where stored < 128 * 1024 {
            stored = (try? FileManager.default.attributesOfItem(atPath: partial)[.size] as? Int) ?? 0
            usleep(20_000)
        }
        #expect(stored >= 128 * 1024, "the upload never got going")
        first.signal(SIGTERM)
        #expect(first.exitStatus(within: 15) != nil, "still running 15 s after SIGTERM: \(first.output.suffix(2000))")
        slowExit.wait()

        let second = try ServerProcess(directory: directory, environment: environment, port: first.port)
        defer { second.stop() }
        let status = try Curl.run([
            "-X", "PUT", second.baseURL + location, "-H", auth, "-H", "Content-Range: bytes */\(size)",
            "-H", "Content-Length: 0",
        ])
        #expect(status.status == 308, "\(status.body)")
        let range = try #require(Curl.header("Range", in: status.headers))
        let received = try #require(Int(range.split(separator: "-").last ?? ""))
        #expect(received + 1 >= 128 * 1024 && received + 1 < size)
        let rest = directory + "/rest"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: clip))
        try bytes[(received + 1)...].write(to: URL(fileURLWithPath: rest))
        let finished = try Curl.run([
            "-X", "PUT", second.baseURL + location, "-H", auth,
            "-H", "Content-Range: bytes \(received + 1)-\(size - 1)/\(size)", "--data-binary", "@\(rest)",
        ])
        #expect(finished.status == 200, "\(finished.body)")
    }
}
