import Foundation
import HerdTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 6 on real instances: A publishes; B follows A and mirrors by strategy and by hand; C follows A and sees B's
/// copy; A stops and BitTorrent clients and Chromium get the video from B; B's damaged copy is discarded; A's
/// deletion frees B's budget.
@Suite("Mirrors between instances", .serialized, .ownThread)
struct RedundancyTests {
    static let password = "redundancy-root-password"

    static func start(_ directory: String, host: String, _ extra: [String: String] = [:]) throws -> ServerProcess {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return try ServerProcess(
            directory: directory,
            environment: [
                "HERD_STORAGE_DIR": directory + "/storage", "HERD_ROOT_PASSWORD": password,
                "HERD_FEDERATION_ALLOW_PRIVATE_ADDRESSES": "true", "HERD_LOG_LEVEL": "info",
                "HERD_TRANSCODING_RESOLUTIONS_480P": "false", "HERD_TRANSCODING_RESOLUTIONS_720P": "false",
                "HERD_TRANSCODING_RESOLUTIONS_1080P": "false", "HERD_REDUNDANCY_HEALTH_CHECK_INTERVAL": "1s",
                "HERD_REDUNDANCY_HEALTH_CHECK_TIMEOUT": "1s", "HERD_REDUNDANCY_VIDEOS_CHECK_INTERVAL": "1s",
                "HERD_P2P_TRACKER_ANNOUNCE_INTERVAL": "4s",
            ].merging(extra) { $1 }, host: host)
    }

    static func copies(_ server: ServerProcess, token: String) throws -> [[String: Any]] {
        try FederationTests.list(server.baseURL, "/api/v1/server/redundancy/videos?target=remote-videos", token: token)
    }

    static func copyState(_ server: ServerProcess, token: String, uuid: String) throws -> String? {
        try copies(server, token: token).first { $0["uuid"] as? String == uuid }.flatMap {
            (($0["redundancies"] as? [String: Any])?["streamingPlaylists"] as? [[String: Any]])?.first?["state"]
                as? String
        }
    }

    static func redundancies(_ server: ServerProcess, _ uuid: String) throws -> [String] {
        let video = try FederationTests.video(server, uuid).json
        return ((video["streamingPlaylists"] as? [[String: Any]])?.first?["redundancies"] as? [[String: Any]])?
            .compactMap { $0["baseUrl"] as? String } ?? []
    }

    static func hlsFile(_ server: ServerProcess, _ uuid: String) throws -> [String: Any] {
        let video = try FederationTests.video(server, uuid).json
        return ((video["streamingPlaylists"] as? [[String: Any]])?.first?["files"] as? [[String: Any]])?.first ?? [:]
    }

    static func post(_ server: ServerProcess, token: String, _ path: String, _ body: String, method: String = "POST")
        throws -> (status: Int, body: String)
    {
        let response = try Curl.run([
            "-X", method, "-H", "Authorization: Bearer \(token)", "-H", "Content-Type: application/json", "--data",
            body, server.baseURL + path,
        ])
        return (response.status, response.body)
    }

    /// The `url-list` entries of a torrent (BEP 19), read roughly: enough to see which web seeds it names.
    static func webSeeds(ofTorrentAt url: String) throws -> String {
        let response = try Curl.run([url])
        #expect(response.status == 200, "GET \(url)")
        return response.body
    }

    @Test(
        "B mirrors A's videos (strategy and by hand), A and C advertise the copy, clients and Chromium play it from B while A is down, a damaged copy is discarded, deletion frees the budget"
    )
    func mirrorAndFailOver() throws {
        let host = try P2PNetwork.address()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("herd-mirror-\(UUID().uuidString)")
            .path
        defer {
            if ProcessInfo.processInfo.environment["HERD_KEEP_TEST_FILES"] == nil {
                try? FileManager.default.removeItem(atPath: root)
            }
        }
        // A takes mirrors from anybody (the default, followings, is checked in MirrorAnnouncementTests).
        let a = try Self.start(root + "/a", host: host, ["HERD_REMOTE_REDUNDANCY_VIDEOS_ACCEPT_FROM": "anybody"])
        defer { a.stop() }
        let tokenA = try Curl.login(a.baseURL, "root", Self.password)
        // Two videos on A; B's strategy budget holds one of them, the other is mirrored by hand.
        let first = try FederationTests.publish(a, token: tokenA, name: "Mirrored by hand")
        let second = try FederationTests.publish(a, token: tokenA, name: "Mirrored by strategy")
        let sizes = try [first, second].map { uuid in
            ((try FederationTests.video(a, uuid).json["streamingPlaylists"] as? [[String: Any]])?.first?["files"]
                as? [[String: Any]] ?? []).reduce(0) { $0 + ($1["size"] as? Int ?? 0) }
        }
        let budget = max(sizes[0], sizes[1]) * 3 / 2
        try #require(budget < sizes[0] + sizes[1], "the clips are too different in size: \(sizes)")
        let b = try Self.start(
            root + "/b", host: host,
            ["HERD_REDUNDANCY_VIDEOS_STRATEGIES": "strategy=most-views;size=\(budget);min_lifetime=3s"])
        defer { b.stop() }
        let c = try Self.start(root + "/c", host: host)
        defer { c.stop() }
        let tokenB = try Curl.login(b.baseURL, "root", Self.password)
        let tokenC = try Curl.login(c.baseURL, "root", Self.password)
        func logs() -> String {
            "A:\n\(a.output.suffix(3000))\nB:\n\(b.output.suffix(4000))\nC:\n\(c.output.suffix(2000))"
        }
        let hostA = "\(a.host):\(a.port)"
        try FederationTests.follow(b, token: tokenB, a)
        try FederationTests.follow(c, token: tokenC, a)
        for server in [b, c] {
            for uuid in [first, second] {
                let arrived = try FederationTests.eventually(60) {
                    try FederationTests.video(server, uuid).status == 200
                }
                try #require(arrived, "\(uuid) never reached \(server.baseURL)\n\(logs())")
            }
        }
        // Nothing is mirrored by strategy until A allows it: a whole check of B's has run, and left nothing.
        #expect(b.waitForTwoMore("mirror check done"), "B's mirror checks stopped\n\(logs())")
        #expect(try Self.copies(b, token: tokenB).isEmpty)
        #expect(
            try Self.post(
                b, token: tokenB, "/api/v1/server/redundancy/\(hostA)", #"{"redundancyAllowed":true}"#,
                method: "PUT"
            ).status == 204)
        // The strategy takes the newest (both have no views) and only that one fits.
        let mirrored = try FederationTests.eventually(60) {
            try Self.copyState(b, token: tokenB, uuid: second) == "ready"
        }
        try #require(mirrored, "B never mirrored the video\n\(logs())")
        #expect(b.waitForTwoMore("mirror check done"), "B's mirror checks stopped\n\(logs())")
        #expect(try Self.copyState(b, token: tokenB, uuid: first) == nil, "over budget\n\(logs())")
        // By hand: the other one (a second request is a conflict; a local video or unknown one is refused).
        let idOnB = try #require(try FederationTests.video(b, first).json["id"] as? Int)
        #expect(
            try Self.post(b, token: tokenB, "/api/v1/server/redundancy/videos", #"{"videoId":\#(idOnB)}"#).status == 204
        )
        #expect(
            try Self.post(b, token: tokenB, "/api/v1/server/redundancy/videos", #"{"videoId":\#(idOnB)}"#).status == 409
        )
        #expect(
            try Self.post(b, token: tokenB, "/api/v1/server/redundancy/videos", #"{"videoId":999999}"#).status == 404)
        #expect(try Self.post(b, token: tokenB, "/api/v1/server/redundancy/videos", #"{}"#).status == 400)
        let localOnA = try #require(try FederationTests.video(a, first).json["id"] as? Int)
        let local = try Self.post(a, token: tokenA, "/api/v1/server/redundancy/videos", #"{"videoId":\#(localOnA)}"#)
        #expect(local.status == 400 && local.body.contains("local video"), "\(local)")
        let anonymous = try Curl.run([b.baseURL + "/api/v1/server/redundancy/videos?target=remote-videos"])
        #expect(anonymous.status == 401)
        let byHand = try FederationTests.eventually(60) { try Self.copyState(b, token: tokenB, uuid: first) == "ready" }
        try #require(byHand, "B never mirrored the video by hand\n\(logs())")

        // A lists B's copy (API, torrents, magnets, my-videos), and C learns of it from A.
        let copyBase = "\(b.baseURL)/static/redundancy/hls/\(first)"
        let onA = try FederationTests.eventually(30) { try Self.redundancies(a, first) == [copyBase] }
        #expect(onA, "A does not list B's copy: \((try? Self.redundancies(a, first)) ?? [])\n\(logs())")
        let fileOnA = try Self.hlsFile(a, first)
        let fileName = try #require((fileOnA["fileUrl"] as? String)?.split(separator: "/").last.map(String.init))
        let magnetOnA = (fileOnA["magnetUri"] as? String ?? "").removingPercentEncoding ?? ""
        #expect(magnetOnA.contains("ws=" + copyBase + "/" + fileName), "\(magnetOnA)")
        let torrentOnA = try Self.webSeeds(ofTorrentAt: try #require(fileOnA["torrentUrl"] as? String))
        #expect(torrentOnA.contains(copyBase + "/" + fileName), "A's torrent has no web seed on B")
        let mine = try FederationTests.list(
            a.baseURL, "/api/v1/server/redundancy/videos?target=my-videos", token: tokenA)
        #expect(mine.compactMap { $0["uuid"] as? String }.sorted() == [first, second].sorted(), "\(mine)")
        // The strategy's copy lives 3 s (its min_lifetime, three checks): B renews it with Update CacheFile, so A's
        // record of it keeps moving forward and never lapses.
        func expiry() throws -> String? {
            let rows = try FederationTests.list(
                a.baseURL, "/api/v1/server/redundancy/videos?target=my-videos", token: tokenA)
            return rows.first { $0["uuid"] as? String == second }.flatMap {
                (($0["redundancies"] as? [String: Any])?["streamingPlaylists"] as? [[String: Any]])?.first?[
                    "expiresOn"] as? String
            }
        }
        let expiresBefore = try #require(try expiry())
        let renewed = try FederationTests.eventually(15) { (try expiry() ?? "") > expiresBefore }
        #expect(renewed, "B never renewed its copy (\(expiresBefore))\n\(logs())")
        // Past the expiry the copy had before its renewal, A still lists it.
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let lapse = try #require(
            fractional.date(from: expiresBefore) ?? ISO8601DateFormatter().date(from: expiresBefore),
            "unreadable expiresOn \(expiresBefore)")
        while Date() <= lapse { usleep(UInt32(min(1, max(0.01, lapse.timeIntervalSinceNow)) * 1_000_000)) }
        #expect(try Self.redundancies(a, second).count == 1, "the renewed copy lapsed on A")
        // A's tracker hands out B's seeder: two seeds (A's and B's) for the HLS file's torrent.
        let infoHash = try #require(
            (fileOnA["magnetUri"] as? String)?.components(separatedBy: "urn:btih:").last?.prefix(40).lowercased())
        let seeded = try FederationTests.eventually(30) {
            let escaped = stride(from: 0, to: 40, by: 2).map { index -> String in
                let start = infoHash.index(infoHash.startIndex, offsetBy: index)
                return "%" + infoHash[start..<infoHash.index(start, offsetBy: 2)]
            }.joined()
            let scrape = try Curl.run([a.baseURL + "/tracker/scrape?info_hash=" + escaped])
            return scrape.body.contains("8:completei2e")
        }
        #expect(seeded, "A's tracker does not list B's seeder\n\(logs())")
        let onC = try FederationTests.eventually(30) { try Self.redundancies(c, first) == [copyBase] }
        #expect(onC, "C does not list B's copy\n\(logs())")
        let fileOnC = try Self.hlsFile(c, first)
        let torrentOnC = try #require(fileOnC["torrentUrl"] as? String)
        #expect(torrentOnC.hasPrefix(c.baseURL), "\(fileOnC)")
        #expect((fileOnC["magnetUri"] as? String ?? "").contains("ws="), "\(fileOnC)")

        // A deletes the video mirrored by strategy: B drops its copy and its budget is free again.
        #expect(try Self.post(a, token: tokenA, "/api/v1/videos/\(second)", "", method: "DELETE").status == 204)
        let dropped = try FederationTests.eventually(30) { try Self.copyState(b, token: tokenB, uuid: second) == nil }
        #expect(dropped, "B kept the copy of a deleted video\n\(logs())")
        #expect(!FileManager.default.fileExists(atPath: root + "/b/storage/redundancy/hls/\(second)"))

        // A stops: C still answers with B's copy; clients given C's torrent finish from B alone.
        let scratch = root + "/clients"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let torrentPath = try P2PClientTests.fetch(torrentOnC, to: scratch + "/from-c.torrent")
        let expected = try P2PClientTests.sha256(
            of: try P2PClientTests.fetch(copyBase + "/" + fileName, to: scratch + "/from-b.mp4"))
        let original = try P2PClientTests.sha256(
            of: try P2PClientTests.fetch(try #require(fileOnA["fileUrl"] as? String), to: scratch + "/from-a.mp4"))
        #expect(expected == original)
        a.stop()
        #expect(try Self.redundancies(c, first) == [copyBase])
        for client in ["aria2c", "libtorrent"] {
            let result = try P2PNetwork.download(client: client, torrent: torrentPath, directory: scratch, mode: "both")
            #expect(result["ok"] as? Bool == true, "\(client): \(result)\n\(logs())")
            #expect(result["sha256"] as? String == expected, "\(client): \(result)")
        }
        // The master playlist plays from B in Chromium; and Herd's player, given A's (dead) playlist and the mirror
        // the API lists, fails over to B.
        let played = try Self.play("\(copyBase)/\(first)-master.m3u8")
        #expect(played["error"] is NSNull, "\(played)")
        #expect((played["currentTime"] as? Double ?? 0) > 1, "\(played)")
        let originMaster = try #require(
            (try? Curl.json(try Curl.run([c.baseURL + "/api/v1/videos/\(first)"]).body))
                .flatMap { ($0["streamingPlaylists"] as? [[String: Any]])?.first?["playlistUrl"] as? String })
        let failedOver = try Self.play(originMaster, mirrors: [copyBase])
        #expect(failedOver["error"] is NSNull, "\(failedOver)")
        #expect((failedOver["currentTime"] as? Double ?? 0) > 1, "\(failedOver)")
        #expect(!(failedOver["switches"] as? [Any] ?? []).isEmpty, "\(failedOver)")

        // B's copy is damaged on disk: B notices, stops serving it and discards it; C stops advertising B.
        let onDisk = root + "/b/storage/redundancy/hls/\(first)/\(fileName)"
        let handle = try #require(FileHandle(forUpdatingAtPath: onDisk))
        try handle.seek(toOffset: 4096)
        try handle.write(contentsOf: Data(repeating: 0x5A, count: 64))
        try handle.close()
        let discarded = try FederationTests.eventually(30) {
            try Curl.run(["-o", "/dev/null", copyBase + "/" + fileName]).status == 404
        }
        #expect(discarded, "B still serves a damaged file\n\(logs())")
        #expect(b.output.contains("damaged"), "B did not log the damage")
        let withdrawn = try FederationTests.eventually(30) { try Self.redundancies(c, first).isEmpty }
        #expect(withdrawn, "C still advertises a mirror that lost its copy\n\(logs())")
    }

    /// Plays a master playlist in Chromium through Herd's web player (`Tests/browser/play_hls.py`).
    static func play(_ master: String, mirrors: [String] = []) throws -> [String: Any] {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("browser/play_hls.py").path
        let result = try Subprocess.run(
            "/usr/bin/env", ["python3", script, master, "1.5"] + mirrors, capture: .standardOutputOnly)
        return (try? JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
            ?? ["error": result.output]
    }
}
