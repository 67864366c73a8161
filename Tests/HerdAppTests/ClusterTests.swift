import Foundation
import HerdObjectStorage
import HerdS3
import HerdTestSupport
import Testing

/// Issue 18, with real processes: several `herd serve` and `herd worker` on one PostgreSQL database, one bucket of
/// SeaweedFS and one folder for what stays local (thumbnails, torrents).
@Suite("Cluster", .ownThread)
struct ClusterTests {
    @Test(
        """
        two servers started at once on a fresh database, two workers: a killed worker's transcode is finished by the \
        other after its lease; the files go to object storage, public ones fetched from the bucket, private ones \
        through Herd; the tracker node (the first) takes it up, and drops it when the second deletes it; chunks of a \
        resumable upload reach either server; the second server serves it and keeps going when the first is killed
        """)
    func serversAndWorkers() throws {
        let directory = try CommandLineTests.scratch()
        defer {
            try? FileManager.default.removeItem(atPath: directory)
            TestDatabases.drop(for: directory)
        }
        let clip = try SecurityTests.clip(in: directory)
        let s3 = try runBlocking { try await S3TestServer.shared.bucket() }
        let bucket = S3Client(endpoint: s3.endpoint)
        let environment = [
            "HERD_DATABASE_URL": try TestDatabases.urlWaiting(for: directory, postgres: true),
            "HERD_ROOT_PASSWORD": "root-password", "HERD_TRANSCODING_REMOTE_ONLY": "true",
            "HERD_METRICS_ENABLED": "true", "HERD_METRICS_TOKEN": Self.metricsToken,
            // The servers take up what the workers published every 2 s (half an announce interval).
            "HERD_P2P_TRACKER_ANNOUNCE_INTERVAL": "4s",
            // Lists stay cached for ten minutes: only another node's notification clears them sooner.
            "HERD_API_LIST_CACHE_TTL": "10 minutes",
        ].merging(Self.objectStorage(s3.endpoint, bucket: s3.bucket)) { $1 }
        // Both servers migrate the fresh database and make the administrator at the same moment. The first is the
        // tracker node (`p2p.tracker.enabled`), where a proxy would send /tracker/.
        let servers = try (0..<2).map { index in
            try ServerProcess(
                directory: directory,
                environment: environment.merging(["HERD_P2P_TRACKER_ENABLED": index == 0 ? "true" : "false"]) { $1 },
                waits: false)
        }
        defer { for server in servers { server.stop() } }
        for server in servers { try server.waitUntilListening() }
        let workers = try (0..<2).map { _ in
            try ServerProcess(
                directory: directory, environment: environment,
                command: (["worker", "--concurrency", "1"], "Herd worker is running jobs"))
        }
        defer { for worker in workers { worker.stop() } }

        let (first, second) = (servers[0], servers[1])
        let (auth, uuid) = try SecurityTests.upload(clip, to: first)

        // A worker reports progress through the database; the second server shows it.
        var progressed = false
        for _ in 0..<1200 where !progressed {
            let jobs = try Curl.json(try Curl.run(["-H", auth, second.baseURL + "/api/v1/jobs/active"]).body)
            progressed = ((jobs["data"] as? [[String: Any]])?.first?["progress"] as? Double ?? 0) > 5
            if !progressed { usleep(50_000) }
        }
        try #require(progressed, "the transcoding job never showed progress")
        // With transcoding.remote_only, the servers run no transcoder: a worker does, in its child.
        for server in servers { #expect(!server.childrenMappedFiles.contains { $0.contains("libavcodec") }) }
        let holders = workers.filter { $0.childrenMappedFiles.contains { $0.contains("libavcodec") } }
        try #require(holders.count == 1)
        let holder = holders[0]
        let survivor = workers.first { $0 !== holder }!
        holder.kill9()

        // The survivor takes the job once the lease (5 s here) has expired, and finishes it.
        var video: [String: Any] = [:]
        for _ in 0..<1800 {
            video = try Curl.json(try Curl.run([second.baseURL + "/api/v1/videos/\(uuid)", "-H", auth]).body)
            if (video["state"] as? [String: Any])?["id"] as? Int != 2 { break }
            usleep(100_000)
        }
        #expect((video["state"] as? [String: Any])?["id"] as? Int == 1, "\(video)")
        let completed = try Curl.json(try Curl.run(["-H", auth, second.baseURL + "/api/v1/jobs/completed"]).body)
        #expect((completed["data"] as? [[String: Any]])?.first?["attempts"] as? Int == 2)
        #expect(survivor.output.contains("job completed"))
        #expect(!holder.output.contains("job completed"))
        // The expired lease was reaped once, by one of the processes: a server shows it in /metrics, the worker
        // (which has no HTTP) in its log. Either server's /metrics shows the whole queue.
        let scraped = try servers.map { try Self.metrics($0) }
        let reapedByServers = scraped.map {
            PrometheusText.value(#"herd_job_lease_expiries_total{kind="video-transcoding"}"#, in: $0) ?? 0
        }
        #expect(reapedByServers.reduce(0, +) + Double(survivor.occurrences(of: "job lease expired")) == 1)
        #expect(PrometheusText.value(#"herd_jobs{kind="video-transcoding",state="completed"}"#, in: scraped[1]) == 1)
        // The first server put the original in the bucket (in 5 MB parts); the tracker node counts its swarms.
        #expect(
            PrometheusText.value(
                #"herd_object_storage_request_duration_seconds_count{operation="UploadPart"}"#, in: scraped[0]) ?? 0 > 1
        )
        #expect(PrometheusText.value("herd_tracker_swarms", in: scraped[0]) != nil)
        #expect(PrometheusText.value("herd_tracker_swarms", in: scraped[1]) == nil)

        // A worker published it, yet the tracker node takes its swarm up (from the database, within a round); the
        // other node answers none of /tracker/.
        let files = (video["streamingPlaylists"] as? [[String: Any]])?.first?["files"] as? [[String: Any]] ?? []
        let magnet = try #require(files.first?["magnetUri"] as? String)
        let hex = try #require(
            magnet.split(separator: "&").first { $0.contains("xt=urn:btih:") }?.split(separator: ":").last)
        let infoHash = stride(from: 0, to: hex.count, by: 2).map { offset -> String in
            let start = hex.index(hex.startIndex, offsetBy: offset)
            return "%" + hex[start..<hex.index(start, offsetBy: 2)]
        }.joined()
        let announced = try Self.announce(infoHash, to: first) { !$0.contains("failure reason") }
        #expect(announced.contains("8:intervali") && !announced.contains("failure reason"), "\(announced)")
        #expect(try Curl.run([second.baseURL + "/tracker/announce?info_hash=\(infoHash)"]).status == 404)

        // The files are in the bucket under each kind's prefix, and no multipart upload was left unfinished.
        let objects = try runBlocking { try await bucket.list(s3.bucket, prefix: "").keys }
        #expect(objects.contains { $0.hasPrefix("originals/\(uuid).") }, "\(objects)")
        #expect(
            objects.contains("hls/\(uuid)/\(uuid)-master.m3u8") && objects.contains { $0.hasPrefix("web/\(uuid)-") })
        #expect(try runBlocking { try await bucket.pendingMultipartUploads(s3.bucket, prefix: "") } == 0)

        // The second server sends players to the bucket for the master playlist and a range of a fragment.
        let hls = second.baseURL + "/static/streaming-playlists/hls/\(uuid)"
        let redirect = try Curl.run([hls + "/\(uuid)-master.m3u8"])
        #expect(redirect.status == 302)
        #expect(
            Curl.header("Location", in: redirect.headers)
                == "\(s3.endpoint.url)/\(s3.bucket)/hls/\(uuid)/\(uuid)-master.m3u8")
        let master = try Curl.run(["-L", hls + "/\(uuid)-master.m3u8"])
        #expect(master.status == 200 && master.body.components(separatedBy: "#EXT-X-STREAM-INF").count - 1 == 4)
        let range = try Curl.run(["-L", "-H", "Range: bytes=100-1099", hls + "/\(uuid)-720-fragmented.mp4"])
        #expect(range.status == 206)
        #expect(Curl.header("Content-Range", in: range.headers)?.hasPrefix("bytes 100-1099/") == true)

        // The second server's anonymous list, cached, shows the video until the first server makes it private.
        let publicList = second.baseURL + "/api/v1/videos"
        #expect(try Curl.json(try Curl.run([publicList]).body)["total"] as? Int == 1)

        // Made private, its files move under private/ and come only through Herd, to those who may see them.
        try SecurityTests.makePrivate(uuid, on: first, auth: auth)
        // The first server told the second (NOTIFY herd_content): its cached list (and total) is gone within moments,
        // not ten minutes.
        var listed: Int?
        for _ in 0..<500 {
            listed = try Curl.json(try Curl.run([publicList]).body)["total"] as? Int
            if listed == 0 { break }
            usleep(20_000)
        }
        #expect(listed == 0)
        let privateFragment =
            hls.replacingOccurrences(of: "/hls/", with: "/hls/private/") + "/\(uuid)-720-fragmented.mp4"
        #expect(try Curl.run([privateFragment]).status >= 400)
        let privateRange = try Curl.run(["-H", auth, "-H", "Range: bytes=100-1099", privateFragment])
        #expect(privateRange.status == 206)
        #expect(
            Curl.header("Content-Range", in: privateRange.headers) == Curl.header("Content-Range", in: range.headers))
        #expect(Curl.header("Content-Length", in: privateRange.headers) == "1000")
        let moved = try runBlocking { try await bucket.list(s3.bucket, prefix: "hls/").keys }
        #expect(
            moved.contains("hls/private/\(uuid)/\(uuid)-master.m3u8")
                && !moved.contains { $0.hasPrefix("hls/\(uuid)/") })

        // Deleted through the second server, the video leaves the tracker node's tracker too (within a round).
        let deleted = try Curl.run(["-X", "DELETE", "-H", auth, second.baseURL + "/api/v1/videos/\(uuid)"])
        #expect(deleted.status == 204)
        let answer = try Self.announce(infoHash, to: first) { $0.contains("unknown info-hash") }
        #expect(answer.contains("unknown info-hash"), "\(answer)")

        // A resumable upload whose chunks reach either server (state in the database, bytes in the shared folder).
        let source = Array(try Data(contentsOf: URL(fileURLWithPath: clip)))
        let resumed = try Self.resumableUpload(source, chunks: 4, across: servers, auth: auth, in: directory)
        let original = try runBlocking {
            try await bucket.get(s3.bucket, "originals/\(resumed).mp4", maxBytes: source.count + 1)
        }
        #expect(original == source, "the original in the bucket is not the uploaded file")

        // The first server dies; the second keeps serving and accepting uploads.
        first.kill9()
        #expect(try Curl.run([second.baseURL + "/api/v1/videos"]).status == 200)
        _ = try SecurityTests.upload(clip, to: second)
    }

    static let metricsToken = "cluster-metrics-token-0123"

    /// Uploads `source` with PeerTube's resumable protocol in `chunks` parts, each sent to the next server in turn
    /// (which is also asked where the upload stands); returns the video's UUID.
    static func resumableUpload(
        _ source: [UInt8], chunks: Int, across servers: [ServerProcess], auth: String, in directory: String
    ) throws -> String {
        let me = try Curl.json(try Curl.run(["-H", auth, servers[0].baseURL + "/api/v1/users/me"]).body)
        let channel = try #require((me["videoChannels"] as? [[String: Any]])?.first?["id"] as? Int)
        let opened = try Curl.run([
            "-X", "POST", servers[0].baseURL + "/api/v1/videos/upload-resumable", "-H", auth,
            "-H", "Content-Type: application/json", "-H", "X-Upload-Content-Length: \(source.count)",
            "-H", "X-Upload-Content-Type: video/mp4",
            "--data", #"{"name":"Across nodes","channelId":\#(channel),"filename":"across.mp4"}"#,
        ])
        try #require(opened.status == 201, "\(opened.body)")
        let location = try #require(Curl.header("Location", in: opened.headers))
        let size = (source.count + chunks - 1) / chunks
        var last = (status: 0, headers: "", body: "")
        for (index, start) in stride(from: 0, to: source.count, by: size).enumerated() {
            let server = servers[index % servers.count]
            let asked = try Curl.run([
                "-X", "PUT", server.baseURL + location, "-H", auth, "-H", "Content-Range: bytes */\(source.count)",
            ])
            let expected = start == 0 ? nil : "bytes=0-\(start - 1)"
            #expect(asked.status == 308 && Curl.header("Range", in: asked.headers) == expected, "\(asked)")
            let end = min(start + size, source.count) - 1
            let part = directory + "/part"
            try Data(source[start...end]).write(to: URL(fileURLWithPath: part))
            last = try Curl.run([
                "-X", "PUT", server.baseURL + location, "-H", auth, "-H", "Content-Type: application/octet-stream",
                "-H", "Content-Range: bytes \(start)-\(end)/\(source.count)", "--data-binary", "@\(part)",
            ])
            #expect(last.status == (end + 1 < source.count ? 308 : 200), "\(last.body)")
        }
        return try #require((try Curl.json(last.body)["video"] as? [String: Any])?["uuid"] as? String)
    }

    /// Announces to `server`'s tracker (BEP 3, compact) until its answer satisfies `done`, for at most 15 s; returns the
    /// last answer.
    static func announce(_ infoHash: String, to server: ServerProcess, until done: (String) -> Bool) throws -> String {
        let url =
            server.baseURL + "/tracker/announce?info_hash=\(infoHash)&peer_id=-HT0001-clustertest0"
            + "&port=6881&uploaded=0&downloaded=0&left=100&compact=1"
        var answer = ""
        for _ in 0..<300 {
            answer = try Curl.run([url]).body
            if done(answer) { break }
            usleep(50_000)
        }
        return answer
    }

    /// One bucket for every kind, each under a prefix of its own; parts of 5 MB, so that uploads go up in parts.
    static func objectStorage(_ endpoint: S3Endpoint, bucket: String) -> [String: String] {
        var settings = [
            "HERD_OBJECT_STORAGE_ENABLED": "true", "HERD_OBJECT_STORAGE_ENDPOINT": endpoint.url,
            "HERD_OBJECT_STORAGE_FORCE_PATH_STYLE": "true", "HERD_OBJECT_STORAGE_MAX_UPLOAD_PART": "5MB",
            "HERD_OBJECT_STORAGE_CREDENTIALS_ACCESS_KEY_ID": endpoint.credentials.accessKeyId,
            "HERD_OBJECT_STORAGE_CREDENTIALS_SECRET_ACCESS_KEY": endpoint.credentials.secretAccessKey,
        ]
        for (kind, prefix) in [
            ("WEB_VIDEOS", "web/"), ("STREAMING_PLAYLISTS", "hls/"), ("ORIGINAL_VIDEO_FILES", "originals/"),
        ] {
            settings["HERD_OBJECT_STORAGE_\(kind)_BUCKET_NAME"] = bucket
            settings["HERD_OBJECT_STORAGE_\(kind)_PREFIX"] = prefix
        }
        return settings
    }

    static func metrics(_ server: ServerProcess) throws -> String {
        let scraped = try Curl.run(["-H", "Authorization: Bearer \(metricsToken)", server.baseURL + "/metrics"])
        try #require(scraped.status == 200)
        return scraped.body
    }

}
