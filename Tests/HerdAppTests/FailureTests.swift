import Foundation
import HerdTestSupport
import Testing

/// Issue 18: a part that fails is an error, not a hang, and nothing is lost when it comes back. Each test stops and
/// restarts a server of its own (the shared ones serve the rest of the suite).
@Suite("Failing parts", .ownThread)
struct FailureTests {
    @Test(
        """
        PostgreSQL stopped: requests get 503 with Retry-After and the log says why, at once rather than hanging; \
        restarted: the server answers again by itself and the upload made before is transcoded and published
        """)
    func databaseStopsAndComesBack() throws {
        let directory = try CommandLineTests.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let postgres = PostgresTestServer()
        let database = try runBlocking { try await postgres.database() }
        let herd = try ServerProcess(
            directory: directory,
            environment: ["HERD_DATABASE_URL": database.url, "HERD_ROOT_PASSWORD": "root-password"])
        defer { herd.stop() }
        let clip = try SecurityTests.clip(in: directory)
        let (auth, uuid) = try SecurityTests.upload(clip, to: herd)

        try runBlocking { try await postgres.stop() }
        let started = Date()
        let down = try Curl.run(["--max-time", "60", herd.baseURL + "/api/v1/videos"])
        #expect(down.status == 503, "\(down.body)")
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(Curl.header("Retry-After", in: down.headers) != nil)
        #expect(down.body.contains("database is unavailable"))
        #expect(herd.waitForOutput("a part is unavailable") && herd.output.contains("no connection to PostgreSQL"))

        try runBlocking { try await postgres.restart() }
        var status = 0
        for _ in 0..<300 where status != 200 {
            status = try Curl.run(["--max-time", "10", herd.baseURL + "/api/v1/videos"]).status
            if status != 200 { usleep(100_000) }
        }
        #expect(status == 200)
        #expect(
            try Self.waitUntilPublished(herd, uuid, auth: auth),
            "the video uploaded before the database stopped was not published:\n\(herd.output.suffix(6000))")
    }

    @Test(
        """
        the bucket stopped: a private fragment served through Herd and an upload get 503 with Retry-After, at once; \
        restarted: the same requests succeed and the new upload is published
        """)
    func bucketStopsAndComesBack() throws {
        let directory = try CommandLineTests.scratch()
        defer {
            try? FileManager.default.removeItem(atPath: directory)
            TestDatabases.drop(for: directory)
        }
        let s3Server = S3TestServer()
        let s3 = try runBlocking { try await s3Server.bucket() }
        defer { _ = try? runBlocking { await s3Server.stop() } }
        let herd = try ServerProcess(
            directory: directory,
            environment: ClusterTests.objectStorage(s3.endpoint, bucket: s3.bucket).merging([
                "HERD_ROOT_PASSWORD": "root-password"
            ]) { $1 })
        defer { herd.stop() }
        let clip = try SecurityTests.clip(in: directory)
        let (auth, uuid) = try SecurityTests.upload(clip, to: herd)
        #expect(try Self.waitUntilPublished(herd, uuid, auth: auth))
        try SecurityTests.makePrivate(uuid, on: herd, auth: auth)
        let fragment =
            herd.baseURL + "/static/streaming-playlists/hls/private/\(uuid)/\(uuid)-720-fragmented.mp4"
        let range = ["-H", auth, "-H", "Range: bytes=0-99", fragment]
        #expect(try Curl.run(range).status == 206)

        try runBlocking { await s3Server.stop() }
        let started = Date()
        let down = try Curl.run(["--max-time", "60"] + range)
        #expect(down.status == 503, "\(down.body)")
        #expect(Curl.header("Retry-After", in: down.headers) != nil)
        #expect(down.body.contains("Media storage is unavailable"))
        let refused = try Curl.run([
            "--max-time", "60", "-H", auth, herd.baseURL + "/api/v1/videos/upload", "-F", "videofile=@\(clip)",
            "-F", "name=While the bucket is down", "-F", "channelId=1",
        ])
        #expect(refused.status == 503, "\(refused.body)")
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(herd.waitForOutput("a part is unavailable") && herd.output.contains("object storage"))

        try runBlocking { try await s3Server.restart() }
        #expect(try Curl.run(range).status == 206)
        let (_, later) = try SecurityTests.upload(clip, to: herd)
        #expect(try Self.waitUntilPublished(herd, later, auth: auth))
    }

    /// Waits (bounded) for the video to be published.
    static func waitUntilPublished(_ herd: ServerProcess, _ uuid: String, auth: String) throws -> Bool {
        for _ in 0..<1200 {
            let video = try SecurityTests.state(herd, uuid, auth: auth)
            if (video["state"] as? [String: Any])?["id"] as? Int == 1 { return true }
            usleep(100_000)
        }
        return false
    }
}
