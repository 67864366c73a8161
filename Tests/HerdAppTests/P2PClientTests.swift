import Foundation
import HerdCrypto
import HerdTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Real BitTorrent clients against a running `herd serve`: torrents validated by torf, downloads by aria2c,
/// transmission and libtorrent from the web seed alone, from Herd's seeder alone and from both, and bad peers.
@Suite("BitTorrent clients against Herd", .serialized, .ownThread)
struct P2PClientTests {
    /// A published video on a running server, shared by the tests of this suite.
    struct Published {
        let server: ServerProcess
        let directory: String
        let video: [String: Any]

        var webFile: [String: Any] { (video["files"] as? [[String: Any]])?.first ?? [:] }
        var hlsFile: [String: Any] {
            ((video["streamingPlaylists"] as? [[String: Any]])?.first?["files"] as? [[String: Any]])?.first ?? [:]
        }
    }

    /// Starts a server on `P2PNetwork.address`, uploads a generated 360p clip and waits until it is published.
    static func publish() throws -> Published {
        let directory = try CommandLineTests.scratch()
        let clip = directory + "/clip.mp4"
        try Tools.clip(at: clip, seconds: 6)
        let host = try P2PNetwork.address()
        let server = try ServerProcess(
            directory: directory,
            environment: [
                "HERD_ROOT_PASSWORD": "root-password", "HERD_TRANSCODING_RESOLUTIONS_240P": "false",
                "HERD_TRANSCODING_RESOLUTIONS_480P": "false", "HERD_TRANSCODING_RESOLUTIONS_720P": "false",
                "HERD_METRICS_ENABLED": "true", "HERD_METRICS_TOKEN": FederationTests.metricsToken,
            ], host: host)
        let token = try Curl.login(server.baseURL, "root", "root-password")
        let auth = "Authorization: Bearer \(token)"
        let me = try Curl.json(try Curl.run(["-H", auth, server.baseURL + "/api/v1/users/me"]).body)
        let channel = try #require((me["videoChannels"] as? [[String: Any]])?.first?["id"] as? Int)
        let uploaded = try Curl.run([
            "-H", auth, server.baseURL + "/api/v1/videos/upload", "-F", "videofile=@\(clip)", "-F",
            "name=Swarm test", "-F", "channelId=\(channel)",
        ])
        let uuid = try #require((try Curl.json(uploaded.body)["video"] as? [String: Any])?["uuid"] as? String)
        var video: [String: Any] = [:]
        for _ in 0..<600 {
            video = try Curl.json(try Curl.run([server.baseURL + "/api/v1/videos/\(uuid)"]).body)
            if (video["state"] as? [String: Any])?["id"] as? Int == 1 { break }
            usleep(100_000)
        }
        try #require((video["state"] as? [String: Any])?["id"] as? Int == 1, "not published: \(video)")
        return Published(server: server, directory: directory, video: video)
    }

    /// Fetches a URL into a file, following a redirect to the bucket (`TestObjectStorage`); returns its path.
    static func fetch(_ url: String, to path: String) throws -> String {
        let result = try Tools.run("/usr/bin/curl", ["-sfL", "-o", path, url])
        #expect(result.status == 0, "GET \(url) failed")
        return path
    }

    static func sha256(of path: String) throws -> String {
        Digest.hex(Digest.sha256(Array(try Data(contentsOf: URL(fileURLWithPath: path)))))
    }

    @Test("every torrent Herd writes is valid (torf), hashes to the file, and the API links it as PeerTube does")
    func torrentsAreValid() throws {
        let published = try Self.publish()
        defer {
            published.server.stop()
            try? FileManager.default.removeItem(atPath: published.directory)
        }
        let base = published.server.baseURL
        for file in [published.webFile, published.hlsFile] {
            let torrentURL = try #require(file["torrentUrl"] as? String, "\(file)")
            #expect(torrentURL.hasPrefix(base + "/lazy-static/torrents/"))
            let download = try #require(file["torrentDownloadUrl"] as? String)
            #expect(download.hasPrefix(base + "/download/torrents/"))
            let magnet = try #require(file["magnetUri"] as? String)
            let fileURL = try #require(file["fileUrl"] as? String)
            let torrent = try Self.fetch(torrentURL, to: published.directory + "/check.torrent")
            let media = try Self.fetch(fileURL, to: published.directory + "/check.media")
            // torf (PyPI) validates the metainfo and verifies every piece against the published bytes.
            let check = try Tools.run(
                "/usr/bin/env",
                [
                    "python3", "-c",
                    """
                    import json, sys, torf
                    t = torf.Torrent.read(sys.argv[1]); t.validate()
                    print(json.dumps({"verified": t.verify(sys.argv[2]), "hash": t.infohash, "pieces": len(t.hashes),
                      "piece": t.piece_size, "trackers": [[str(u) for u in tier] for tier in t.trackers],
                      "webseeds": [str(u) for u in t.webseeds]}))
                    """,
                    torrent, media,
                ])
            let info = try #require(
                try JSONSerialization.jsonObject(with: Data(check.output.utf8)) as? [String: Any], "\(check.output)")
            #expect(info["verified"] as? Bool == true)
            let hash = try #require(info["hash"] as? String)
            #expect(magnet.contains("xt=urn:btih:\(hash)"))
            #expect(magnet.removingPercentEncoding?.contains("ws=" + fileURL) == true, "\(magnet)")
            #expect(info["webseeds"] as? [String] == [fileURL])
            #expect(
                info["trackers"] as? [[String]] == [
                    ["\(base)/tracker/announce"],
                    ["\(base.replacingOccurrences(of: "http://", with: "ws://"))/tracker/socket"],
                ])
            #expect((info["piece"] as? Int ?? 0) >= 16_384)
        }
    }

    @Test("WebTorrent peers meet in an HLS swarm at /tracker/socket: offers and answers relayed, floods cut off")
    func webSocketTracker() throws {
        let published = try Self.publish()
        defer {
            published.server.stop()
            try? FileManager.default.removeItem(atPath: published.directory)
        }
        let master = try #require(
            (published.video["streamingPlaylists"] as? [[String: Any]])?.first?["playlistUrl"] as? String)
        let socket = published.server.baseURL.replacingOccurrences(of: "http://", with: "ws://") + "/tracker/socket"
        let run = try Tools.run("/usr/bin/env", ["python3", P2PNetwork.script("wstracker.py"), socket, master])
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any], "\(run.output)")
        #expect((report["a_announce"] as? [String: Any])?["interval"] as? Int == 120, "\(report)")
        #expect((report["b_announce"] as? [String: Any])?["incomplete"] as? Int == 2, "\(report)")
        #expect(report["a_got_offer"] as? Bool == true, "\(report)")
        #expect(report["b_got_answer"] as? Bool == true, "\(report)")
        #expect((report["scrape"] as? [String: Any])?["incomplete"] as? Int == 2, "\(report)")
        #expect((report["unknown"] as? [String: Any])?["failure reason"] as? String == "unknown info-hash")
        #expect((report["malformed"] as? [String: Any])?["failure reason"] != nil, "\(report)")
        let flood = try #require(report["flood"] as? [String: Any])
        // The flood is cut off. (The "rate limited" refusals sent just before are usually seen too, but the reset
        // of a socket closed with unread input can discard them; the state machine's tests count them exactly.)
        #expect(flood["closed"] as? Bool == true, "\(report)")
        #expect(report["after_flood"] as? Bool == true)
    }

    @Test("aria2c, transmission and libtorrent each download the video by web seed, from Herd's seeder, and both")
    func clientsDownload() throws {
        let published = try Self.publish()
        defer {
            published.server.stop()
            try? FileManager.default.removeItem(atPath: published.directory)
        }
        let web = published.webFile
        let torrent = try Self.fetch(
            try #require(web["torrentUrl"] as? String), to: published.directory + "/web.torrent")
        let original = try Self.fetch(
            try #require(web["fileUrl"] as? String), to: published.directory + "/original.mp4")
        let expected = try Self.sha256(of: original)
        for client in ["aria2c", "libtorrent", "transmission"] {
            for mode in ["webseed", "peers", "both"] {
                let result = try P2PNetwork.download(
                    client: client, torrent: torrent, directory: published.directory, mode: mode)
                #expect(result["ok"] as? Bool == true, "\(client) \(mode): \(result)")
                #expect(result["sha256"] as? String == expected, "\(client) \(mode): \(result)")
            }
        }
        // The HLS fragmented MP4 has its own torrent, seeded the same way.
        let hls = published.hlsFile
        let hlsTorrent = try Self.fetch(
            try #require(hls["torrentUrl"] as? String), to: published.directory + "/hls.torrent")
        let hlsOriginal = try Self.fetch(
            try #require(hls["fileUrl"] as? String), to: published.directory + "/original-hls.mp4")
        let hlsExpected = try Self.sha256(of: hlsOriginal)
        let result = try P2PNetwork.download(
            client: "libtorrent", torrent: hlsTorrent, directory: published.directory, mode: "peers")
        #expect(result["sha256"] as? String == hlsExpected, "\(result)")
        // /metrics: the seeder's bytes (the "peers" downloads: at least the HLS file, whole) and the web seed's (the
        // "webseed" downloads: at least the web MP4, whole, once per client; a bucket answers for itself).
        let size = { (path: String) in
            Double(((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0)
        }
        #expect(try FederationTests.metric(published.server, "herd_seeder_bytes_total") >= size(hlsOriginal))
        if !TestObjectStorage.enabled {
            #expect(try FederationTests.metric(published.server, "herd_web_seed_bytes_total") >= 3 * size(original))
        }
    }

    @Test("bad announces and bad peers get clean refusals; 1,000 idle connections do not stop the seeder serving")
    func badInput() throws {
        let published = try Self.publish()
        defer {
            published.server.stop()
            try? FileManager.default.removeItem(atPath: published.directory)
        }
        let base = published.server.baseURL
        // HTTP tracker: failures are 200 with a bencoded `failure reason` (BEP 3).
        let missing = try Curl.run([base + "/tracker/announce?peer_id=-XX0001-abcdefghijkl&port=6881"])
        #expect(missing.status == 200)
        #expect(missing.body.contains("failure reason"), "\(missing.body)")
        let unknown = try Curl.run([
            base + "/tracker/announce?info_hash=" + String(repeating: "%00", count: 20)
                + "&peer_id=-XX0001-abcdefghijkl&port=6881&uploaded=0&downloaded=0&left=10"
        ])
        #expect(unknown.body.contains("unknown info-hash"), "\(unknown.body)")
        let huge = try Curl.run([base + "/tracker/announce?x=" + String(repeating: "a", count: 6000)])
        #expect(huge.body.contains("failure reason"), "\(huge.body)")
        let badPort = try Curl.run([
            base + "/tracker/announce?info_hash=" + String(repeating: "%01", count: 20)
                + "&peer_id=-XX0001-abcdefghijkl&port=99999&uploaded=0&downloaded=0&left=10"
        ])
        #expect(badPort.body.contains("failure reason"), "\(badPort.body)")

        // The seeder: garbage, unknown hashes, requests past the end, then 1,000 idle connections.
        let web = published.webFile
        let torrent = try Self.fetch(
            try #require(web["torrentUrl"] as? String), to: published.directory + "/web.torrent")
        let info = try Tools.run(
            "/usr/bin/env",
            [
                "python3", "-c",
                "import torf,sys; t=torf.Torrent.read(sys.argv[1]); print(t.infohash, t.size, t.piece_size)", torrent,
            ]
        ).output.split(separator: " ").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
        let seederPort = try #require(published.server.seederPort, "\(published.server.output)")
        let abuse = Process()
        abuse.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        abuse.arguments = [
            "python3", P2PNetwork.script("abuse.py"), published.server.host, String(seederPort), info[0], info[1],
            info[2], "--idle", "1000",
        ]
        let output = Pipe()
        let input = Pipe()
        abuse.standardOutput = output
        abuse.standardInput = input
        let abuseExit = try ProcessExit(starting: abuse)
        let line = output.fileHandleForReading.availableLine()
        let report = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
        #expect((report["garbage"] as? [String: Any])?["closed"] as? Bool == true, "\(report)")
        #expect((report["garbage"] as? [String: Any])?["bytes"] as? Int == 0, "\(report)")
        #expect((report["unknown_hash"] as? [String: Any])?["bytes"] as? Int == 0, "\(report)")
        let fast = try #require(report["past_end_fast"] as? [String: Any])
        #expect(fast["rejects"] as? Int == 2, "\(report)")  // BEP 6: each bad request gets a reject
        #expect((report["past_end_plain"] as? [String: Any])?["closed"] as? Bool == true, "\(report)")
        let idle = try #require(report["idle"] as? [String: Any])
        // 200 slots (p2p.seeder.max_connections): the rest are closed at once.
        #expect(idle["closed_by_seeder"] as? Int ?? 0 >= 800, "\(report)")

        // While the idle connections are held, a real client still downloads from the seeder (an idle connection
        // gives up its slot), and the API answers.
        let original = try Self.fetch(
            try #require(web["fileUrl"] as? String), to: published.directory + "/original.mp4")
        let expected = try Self.sha256(of: original)
        let result = try P2PNetwork.download(
            client: "libtorrent", torrent: torrent, directory: published.directory, mode: "peers")
        #expect(result["sha256"] as? String == expected, "\(result)")
        #expect(try Curl.run([base + "/api/v1/videos"]).status == 200)
        input.fileHandleForWriting.write(Data("done\n".utf8))
        abuseExit.wait()
    }
}

/// The address the P2P tests run on, and the client runner.
enum P2PNetwork {
    /// transmission ignores peers at 127.0.0.0/8 ("martian" addresses), so the tests use a second address on the
    /// loopback interface: still local to this machine, but one every client accepts.
    static let testAddress = "10.211.0.1"

    static func address() throws -> String {
        let show = try Tools.run("/usr/sbin/ip", ["-4", "addr", "show", "dev", "lo"])
        if show.output.contains(testAddress + "/") { return testAddress }
        let add = try Tools.run("/usr/sbin/ip", ["addr", "add", testAddress + "/32", "dev", "lo"])
        if add.status == 0 { return testAddress }
        // Without the right to add one, any non-loopback address of this machine will do.
        let any = try Tools.run("/usr/bin/hostname", ["-I"]).output.split(separator: " ").map(String.init)
        if let found = any.first(where: { $0.contains(".") && !$0.hasPrefix("127.") }) { return found }
        throw P2PError.noAddress(add.output)
    }

    enum P2PError: Error { case noAddress(String) }

    static func script(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("p2p/\(name)").path
    }

    /// Runs `Tests/p2p/download.py` (Debian's python3-libtorrent loads only under /usr/bin/python3).
    static func download(client: String, torrent: String, directory: String, mode: String) throws -> [String: Any] {
        let result = try Tools.run(
            "/usr/bin/python3",
            [script("download.py"), client, torrent, directory, "--mode", mode, "--timeout", "60"])
        return (try? JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
            ?? ["ok": false, "output": result.output]
    }
}

/// Runs a tool to completion.
enum Tools {
    @discardableResult
    static func run(_ path: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        try Subprocess.run(path, arguments, capture: .standardOutputOnly)
    }

    /// A 640×360 H.264 + AAC test clip of `seconds` at `path`, made by the ffmpeg command line.
    static func clip(at path: String, seconds: Int) throws {
        try run(
            "/usr/bin/ffmpeg",
            [
                "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30:duration=\(seconds)", "-f",
                "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=\(seconds)", "-c:v", "libx264",
                "-preset", "veryfast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", path,
            ])
    }
}

extension FileHandle {
    /// Reads up to the first newline (blocking).
    func availableLine() -> String {
        var bytes: [UInt8] = []
        while true {
            let chunk = readData(ofLength: 1)
            guard let byte = chunk.first, byte != UInt8(ascii: "\n") else { break }
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension ServerProcess {
    /// The seeder's port, from its log line `address=<host>:<port> [HerdSeeder] seeder listening`.
    var seederPort: Int? {
        for line in output.split(separator: "\n") where line.contains("seeder listening") {
            if let address = line.split(separator: " ").first(where: { $0.hasPrefix("address=") }),
                let port = address.split(separator: ":").last
            {
                return Int(port)
            }
        }
        return nil
    }
}
