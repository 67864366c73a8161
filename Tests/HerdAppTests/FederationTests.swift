import Foundation
import HerdTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Several real `herd serve` processes on loopback, federating over HTTP with signed requests.
@Suite("Federation between instances", .serialized, .ownThread)
struct FederationTests {
    static let password = "federation-root-password"

    static func start(_ directory: String, _ extra: [String: String] = [:], port: Int? = nil) throws -> ServerProcess {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return try ServerProcess(
            directory: directory,
            environment: [
                "HERD_STORAGE_DIR": directory + "/storage", "HERD_ROOT_PASSWORD": password,
                "HERD_FEDERATION_ALLOW_PRIVATE_ADDRESSES": "true", "HERD_P2P_ENABLED": "false",
                "HERD_LOG_LEVEL": "info", "HERD_TRANSCODING_RESOLUTIONS_480P": "false",
                "HERD_TRANSCODING_RESOLUTIONS_720P": "false", "HERD_TRANSCODING_RESOLUTIONS_1080P": "false",
                "HERD_METRICS_ENABLED": "true", "HERD_METRICS_TOKEN": metricsToken,
            ].merging(extra) { $1 }, port: port)
    }

    static let metricsToken = "federation-metrics-token"

    /// The value of `sample` (`name{labels}`) in `server`'s /metrics, 0 when absent.
    static func metric(_ server: ServerProcess, _ sample: String) throws -> Double {
        let scraped = try Curl.run(["-H", "Authorization: Bearer \(metricsToken)", server.baseURL + "/metrics"])
        return PrometheusText.value(sample, in: scraped.body) ?? 0
    }

    /// Polls `check` until it holds (deliveries are asynchronous), up to `seconds`.
    static func eventually(_ seconds: Double = 30, _ check: () throws -> Bool) throws -> Bool {
        let deadline = Date() + seconds
        while Date() < deadline {
            if try check() { return true }
            usleep(200_000)
        }
        return try check()
    }

    static func list(_ base: String, _ path: String, token: String) throws -> [[String: Any]] {
        let response = try Curl.run(["-H", "Authorization: Bearer \(token)", base + path])
        return try Curl.json(response.body)["data"] as? [[String: Any]] ?? []
    }

    @Test("A follows B: a signed Follow, an automatic Accept, both sides list it; unfollowing sends Undo")
    func instanceFollow() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("herd-fed-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let a = try Self.start(root + "/a")
        defer { a.stop() }
        let b = try Self.start(root + "/b")
        defer { b.stop() }
        let tokenA = try Curl.login(a.baseURL, "root", Self.password)
        let tokenB = try Curl.login(b.baseURL, "root", Self.password)
        let hostB = "\(b.host):\(b.port)"

        let follow = try Curl.run([
            "-X", "POST", "-H", "Authorization: Bearer \(tokenA)", "-H", "Content-Type: application/json",
            "--data", #"{"hosts":["\#(hostB)"]}"#, a.baseURL + "/api/v1/server/following",
        ])
        #expect(follow.status == 204, "\(follow.body)\n\(a.output)")
        // B accepts at once (auto-accept); A learns it from the Accept delivered to its inbox.
        let accepted = try Self.eventually {
            try Self.list(a.baseURL, "/api/v1/server/following", token: tokenA).first?["state"] as? String == "accepted"
        }
        let logs = "A's log:\n\(a.output.suffix(3000))\nB's log:\n\(b.output.suffix(3000))"
        #expect(accepted, "A's following never became accepted. \(logs)")
        // /metrics: each inbox counted the activity it took, each sender its delivery to the other's host.
        #expect(try Self.metric(b, #"herd_inbox_activities_total{type="Follow",result="accepted"}"#) == 1)
        #expect(try Self.metric(a, #"herd_inbox_activities_total{type="Accept",result="accepted"}"#) == 1)
        let hostA = "\(a.host):\(a.port)"
        #expect(
            try Self.eventually {
                try Self.metric(a, #"herd_federation_deliveries_total{host="\#(hostB)",result="delivered"}"#) >= 1
                    && Self.metric(b, #"herd_federation_deliveries_total{host="\#(hostA)",result="delivered"}"#) >= 1
            })
        let followers = try Self.list(b.baseURL, "/api/v1/server/followers", token: tokenB)
        #expect(followers.count == 1)
        #expect((followers.first?["follower"] as? [String: Any])?["url"] as? String == a.baseURL + "/accounts/peertube")
        #expect(followers.first?["state"] as? String == "accepted")
        let following = try Self.list(a.baseURL, "/api/v1/server/following", token: tokenA)
        #expect((following.first?["following"] as? [String: Any])?["host"] as? String == hostB)
        #expect((following.first?["following"] as? [String: Any])?["hostRedundancyAllowed"] as? Bool == false)
        // A lets itself mirror B's videos (issue 6); unknown hosts and bad bodies are refused.
        func allow(_ host: String, _ body: String, token: String? = tokenA) throws -> Int {
            var arguments = ["-X", "PUT", "-H", "Content-Type: application/json", "--data", body]
            if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
            return try Curl.run(arguments + [a.baseURL + "/api/v1/server/redundancy/\(host)"]).status
        }
        #expect(try allow(hostB, #"{"redundancyAllowed":true}"#) == 204)
        let allowed = try Self.list(a.baseURL, "/api/v1/server/following", token: tokenA)
        #expect((allowed.first?["following"] as? [String: Any])?["hostRedundancyAllowed"] as? Bool == true)
        #expect(try allow("elsewhere.example", #"{"redundancyAllowed":true}"#) == 404)
        #expect(try allow(hostB, #"{"redundancyAllowed":"yes"}"#) == 400)
        #expect(try allow(hostB, #"{"redundancyAllowed":true}"#, token: nil) == 401)

        // Bad input: a host that is not one, an unauthenticated call, following oneself.
        for body in [#"{"hosts":["not a host!"]}"#, #"{"hosts":[]}"#, #"{"hosts":["\#(a.host):\#(a.port)"]}"#] {
            let bad = try Curl.run([
                "-X", "POST", "-H", "Authorization: Bearer \(tokenA)", "-H", "Content-Type: application/json",
                "--data", body, a.baseURL + "/api/v1/server/following",
            ])
            #expect(bad.status == 400, "\(body) → \(bad.status) \(bad.body)")
        }
        let anonymous = try Curl.run([
            "-X", "POST", "-H", "Content-Type: application/json", "--data", #"{"hosts":["\#(hostB)"]}"#,
            a.baseURL + "/api/v1/server/following",
        ])
        #expect(anonymous.status == 401)

        let unfollow = try Curl.run([
            "-X", "DELETE", "-H", "Authorization: Bearer \(tokenA)", a.baseURL + "/api/v1/server/following/\(hostB)",
        ])
        #expect(unfollow.status == 204, "\(unfollow.body)")
        #expect(try Self.list(a.baseURL, "/api/v1/server/following", token: tokenA).isEmpty)
        let undone = try Self.eventually { try Self.list(b.baseURL, "/api/v1/server/followers", token: tokenB).isEmpty }
        #expect(undone, "B still lists A as a follower")
    }

    @Test("an inbox refuses unsigned, forged and mis-attributed activities, and accepts a signed one once")
    func inboxRefusesForgeries() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("herd-fed-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let b = try Self.start(root + "/b")
        defer { b.stop() }
        let activity =
            #"{"id":"http://127.0.0.1:1/x","type":"Follow","actor":"http://127.0.0.1:1/a","object":"\#(b.baseURL)/accounts/peertube"}"#
        let unsigned = try Curl.run([
            "-X", "POST", "-H", "Content-Type: application/activity+json", "--data", activity, b.baseURL + "/inbox",
        ])
        #expect(unsigned.status == 401, "\(unsigned.body)")
        #expect(Curl.header("Content-Type", in: unsigned.headers)?.hasPrefix("application/problem+json") == true)
        // Refused before its body was read: counted with no type.
        #expect(try Self.metric(b, #"herd_inbox_activities_total{type="none",result="refused"}"#) == 1)
        // A signature header that does not parse, and one whose digest does not match the body.
        let forged = try Curl.run([
            "-X", "POST", "-H", "Content-Type: application/activity+json", "-H", "Signature: keyId=\"x\"",
            "-H", "Digest: SHA-256=AAAA", "-H", "Date: \(Self.httpDate())", "--data", activity, b.baseURL + "/inbox",
        ])
        #expect(forged.status == 401, "\(forged.body)")
        let federationOff = try Self.start(root + "/c", ["HERD_FEDERATION_ENABLED": "false"])
        defer { federationOff.stop() }
        let refused = try Curl.run([
            "-X", "POST", "-H", "Content-Type: application/activity+json", "--data", activity,
            federationOff.baseURL + "/inbox",
        ])
        #expect(refused.status == 403, "\(refused.body)")
    }

    /// Makes `follower` follow `followed`'s instance and waits for the Accept.
    static func follow(_ follower: ServerProcess, token: String, _ followed: ServerProcess) throws {
        let response = try Curl.run([
            "-X", "POST", "-H", "Authorization: Bearer \(token)", "-H", "Content-Type: application/json",
            "--data", #"{"hosts":["\#(followed.host):\#(followed.port)"]}"#,
            follower.baseURL + "/api/v1/server/following",
        ])
        try #require(response.status == 204, "\(response.body)")
        let accepted = try eventually {
            try list(follower.baseURL, "/api/v1/server/following", token: token).first?["state"] as? String
                == "accepted"
        }
        try #require(accepted, "the follow was never accepted:\n\(follower.output.suffix(2000))")
    }

    /// Uploads the short vector clip to `server` and waits until it is published; returns its UUID.
    static func publish(_ server: ServerProcess, token: String, name: String, tag: String = "rabbits") throws -> String
    {
        let auth = "Authorization: Bearer \(token)"
        let me = try Curl.json(try Curl.run(["-H", auth, server.baseURL + "/api/v1/users/me"]).body)
        let channel = try #require((me["videoChannels"] as? [[String: Any]])?.first?["id"] as? Int)
        let uploaded = try Curl.run([
            "-H", auth, server.baseURL + "/api/v1/videos/upload", "-F",
            "videofile=@\(Vectors.media("video_short.mp4"))", "-F", "name=\(name)", "-F", "channelId=\(channel)",
            "-F", "tags[]=\(tag)",
        ])
        let uuid = try #require((try Curl.json(uploaded.body)["video"] as? [String: Any])?["uuid"] as? String)
        let published = try eventually(120) {
            let video = try Curl.json(try Curl.run([server.baseURL + "/api/v1/videos/\(uuid)"]).body)
            return (video["state"] as? [String: Any])?["id"] as? Int == 1
        }
        try #require(published, "not published:\n\(server.output.suffix(2000))")
        return uuid
    }

    static func video(_ server: ServerProcess, _ uuid: String) throws -> (status: Int, json: [String: Any]) {
        let response = try Curl.run([server.baseURL + "/api/v1/videos/\(uuid)"])
        return (response.status, (try? Curl.json(response.body)) ?? [:])
    }

    static func search(_ server: ServerProcess, _ query: String) throws -> [String] {
        let response = try Curl.run([server.baseURL + "/api/v1/search/videos?" + query])
        #expect(response.status == 200, "\(query): \(response.body)")
        return (try Curl.json(response.body)["data"] as? [[String: Any]] ?? []).compactMap { $0["uuid"] as? String }
    }

    @Test(
        "three instances: B's video reaches A and C, plays from B, is searchable, follows edits (also while A is down), and goes when B deletes it"
    )
    func videosAcrossInstances() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("herd-fed-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        var a = try Self.start(root + "/a")
        defer { a.stop() }
        let b = try Self.start(root + "/b")
        defer { b.stop() }
        let c = try Self.start(root + "/c")
        defer { c.stop() }
        let tokenA = try Curl.login(a.baseURL, "root", Self.password)
        let tokenB = try Curl.login(b.baseURL, "root", Self.password)
        let tokenC = try Curl.login(c.baseURL, "root", Self.password)
        let hostB = "\(b.host):\(b.port)"
        // A video B published before anyone followed it: A catches up by reading B's outbox once it is accepted.
        let earlier = try Self.publish(b, token: tokenB, name: "Published before the follow", tag: "history")
        try Self.follow(a, token: tokenA, b)
        try Self.follow(c, token: tokenC, b)
        let caughtUpEarlier = try Self.eventually { try Self.video(a, earlier).json["isLocal"] as? Bool == false }
        #expect(caughtUpEarlier, "A never read B's outbox\n\(a.output.suffix(2000))")

        let uuid = try Self.publish(b, token: tokenB, name: "Rabbits of the meadow")
        func logs() -> String {
            "A:\n\(a.output.suffix(2500))\nB:\n\(b.output.suffix(2500))\nC:\n\(c.output.suffix(1500))"
        }
        for server in [a, c] {
            let arrived = try Self.eventually { try Self.video(server, uuid).status == 200 }
            try #require(arrived, "the video never reached \(server.baseURL)\n\(logs())")
        }
        // On A: listed as remote, owned by B's account and channel, with B's playable files.
        let remote = try Self.video(a, uuid).json
        #expect(remote["isLocal"] as? Bool == false)
        #expect(remote["url"] as? String == "\(b.baseURL)/videos/watch/\(uuid)")
        #expect(remote["name"] as? String == "Rabbits of the meadow")
        #expect((remote["account"] as? [String: Any])?["host"] as? String == hostB)
        #expect((remote["channel"] as? [String: Any])?["url"] as? String == "\(b.baseURL)/video-channels/root_channel")
        #expect(remote["tags"] as? [String] == ["rabbits"])
        #expect((remote["duration"] as? Int ?? 0) > 0)
        let playlist = try #require(
            (remote["streamingPlaylists"] as? [[String: Any]])?.first?["playlistUrl"] as? String, "\(remote)")
        #expect(playlist.hasPrefix(b.baseURL + "/static/streaming-playlists/hls/\(uuid)/"))
        // From B, or the bucket B redirects to (`TestObjectStorage`).
        let master = try Curl.run(["-L", playlist])
        #expect(master.status == 200 && master.body.hasPrefix("#EXTM3U"), "\(master.body)")
        let hlsFile = try #require(
            ((remote["streamingPlaylists"] as? [[String: Any]])?.first?["files"] as? [[String: Any]])?.first?[
                "fileUrl"] as? String)
        let fetched = try Curl.run(["-L", "-r", "0-1023", "-o", "/dev/null", hlsFile])
        #expect(fetched.status == 206, "\(hlsFile)")
        // What B answered under /static/ (the master playlist, then 1024 bytes of the fragment) is counted; a bucket
        // answers for itself.
        if !TestObjectStorage.enabled {
            #expect(try Self.metric(b, "herd_web_seed_bytes_total") >= Double(1024 + master.body.utf8.count))
        }
        let listed = try Curl.json(try Curl.run([a.baseURL + "/api/v1/videos?isLocal=false"]).body)
        #expect((listed["data"] as? [[String: Any]])?.compactMap { $0["uuid"] as? String } == [uuid, earlier])
        #expect(try Curl.json(try Curl.run([a.baseURL + "/api/v1/videos?isLocal=true"]).body)["total"] as? Int == 0)
        // The thumbnail comes through A (fetched from B once, then kept).
        let thumbnail = try #require(remote["thumbnailPath"] as? String)
        let image = try Curl.run([a.baseURL + thumbnail, "-o", "/dev/null"])
        #expect(image.status == 200 && Curl.header("Content-Type", in: image.headers) == "image/jpeg")

        // Search on A: a typo still finds it; host, duration and date filters apply.
        #expect(try Self.search(a, "search=rabits%20meadw") == [uuid])
        #expect(try Self.search(a, "search=rabbits&host=\(hostB)") == [uuid])
        #expect(try Self.search(a, "search=rabbits&host=\(a.host):\(a.port)").isEmpty)
        #expect(try Self.search(a, "search=rabbits&durationMax=1").isEmpty)
        #expect(try Self.search(a, "search=rabbits&startDate=2000-01-01T00:00:00Z") == [uuid])
        #expect(try Self.search(a, "search=rabbits&endDate=2000-01-01T00:00:00Z").isEmpty)
        #expect(try Self.search(a, "search=quantum%20physics").isEmpty)
        let noSearch = try Curl.run([a.baseURL + "/api/v1/search/videos"])
        #expect(noSearch.status == 400)
        let badDate = try Curl.run([a.baseURL + "/api/v1/search/videos?search=x&startDate=yesterday"])
        #expect(badDate.status == 400)
        // A remote video is edited on its own instance only.
        let edit = try Curl.run([
            "-X", "PUT", "-H", "Authorization: Bearer \(tokenA)", "--data", "name=Hijacked",
            a.baseURL + "/api/v1/videos/\(uuid)",
        ])
        #expect(edit.status == 403, "\(edit.body)")

        // B edits: A and C follow.
        func rename(_ name: String) throws {
            let response = try Curl.run([
                "-X", "PUT", "-H", "Authorization: Bearer \(tokenB)", "--data-urlencode", "name=\(name)",
                b.baseURL + "/api/v1/videos/\(uuid)",
            ])
            try #require(response.status == 204, "\(response.body)")
        }
        try rename("Rabbits of the big meadow")
        for server in [a, c] {
            let renamed = try Self.eventually {
                try Self.video(server, uuid).json["name"] as? String == "Rabbits of the big meadow"
            }
            #expect(renamed, "\(server.baseURL) never saw the new name\n\(logs())")
        }

        // A is down while B edits again: the delivery is retried, and A has it after it comes back.
        a.stop()
        try rename("Rabbits while A was away")
        // B's delivery to A fails and waits for its retry (backoff) before A comes back.
        let retrying = try Self.eventually {
            try Self.list(b.baseURL, "/api/v1/jobs/delayed?jobType=activitypub-http-unicast", token: tokenB)
                .contains { $0["state"] as? String == "delayed" }
        }
        #expect(retrying, "B never had to retry the delivery to A\n\(logs())")
        let (directoryA, portA) = (root + "/a", a.port)
        a = try Self.start(directoryA, port: portA)
        let caughtUp = try Self.eventually(90) {
            try Self.video(a, uuid).json["name"] as? String == "Rabbits while A was away"
        }
        #expect(caughtUp, "A never received the Update sent while it was down\n\(logs())")

        // Comments: one written on A reaches B (the origin), and B forwards it to C, which checks it at A.
        func threads(_ server: ServerProcess) throws -> [[String: Any]] {
            try Curl.json(try Curl.run([server.baseURL + "/api/v1/videos/\(uuid)/comment-threads"]).body)["data"]
                as? [[String: Any]] ?? []
        }
        let posted = try Curl.run([
            "-X", "POST", "-H", "Authorization: Bearer \(tokenA)", "-H", "Content-Type: application/json", "--data",
            #"{"text":"Hello from A"}"#, a.baseURL + "/api/v1/videos/\(uuid)/comment-threads",
        ])
        #expect(posted.status == 200, "\(posted.body)")
        for server in [b, c] {
            let arrived = try Self.eventually { try threads(server).first?["text"] as? String == "Hello from A" }
            #expect(arrived, "A's comment never reached \(server.baseURL)\n\(logs())")
        }
        let onB = try #require(try threads(b).first)
        #expect((onB["account"] as? [String: Any])?["host"] as? String == "\(a.host):\(a.port)")
        #expect((onB["url"] as? String)?.hasPrefix(a.baseURL + "/videos/watch/\(uuid)/comments/") == true)
        // B's owner replies: A threads it under its own comment, C under the copy it holds.
        let commentOnB = try #require(onB["id"] as? Int)
        let replied = try Curl.run([
            "-X", "POST", "-H", "Authorization: Bearer \(tokenB)", "-H", "Content-Type: application/json", "--data",
            #"{"text":"Welcome, A"}"#, b.baseURL + "/api/v1/videos/\(uuid)/comments/\(commentOnB)",
        ])
        #expect(replied.status == 200, "\(replied.body)")
        for server in [a, c] {
            let threaded = try Self.eventually {
                guard let root = try threads(server).first?["id"] as? Int else { return false }
                let tree = try Curl.json(
                    try Curl.run([server.baseURL + "/api/v1/videos/\(uuid)/comment-threads/\(root)"]).body)
                let child = (tree["children"] as? [[String: Any]])?.first?["comment"] as? [String: Any]
                return child?["text"] as? String == "Welcome, A"
            }
            #expect(threaded, "B's reply never got threaded on \(server.baseURL)\n\(logs())")
        }
        // A deletes its comment: B deletes its copy and forwards the Delete; C believes it once A answers Tombstone.
        let commentOnA = try #require(try threads(a).first?["id"] as? Int)
        let removed = try Curl.run([
            "-X", "DELETE", "-H", "Authorization: Bearer \(tokenA)",
            a.baseURL + "/api/v1/videos/\(uuid)/comments/\(commentOnA)",
        ])
        #expect(removed.status == 204)
        for server in [b, c] {
            let deleted = try Self.eventually { try threads(server).first?["isDeleted"] as? Bool == true }
            #expect(deleted, "\(server.baseURL) still shows A's deleted comment\n\(logs())")
        }

        // A likes B's video and plays it: B counts both (views come in a batch), and C sees B's new view count.
        let liked = try Curl.run([
            "-X", "PUT", "-H", "Authorization: Bearer \(tokenA)", "-H", "Content-Type: application/json", "--data",
            #"{"rating":"like"}"#, a.baseURL + "/api/v1/videos/\(uuid)/rate",
        ])
        #expect(liked.status == 204, "\(liked.body)")
        for session in ["s1", "s2", "s2"] {
            let viewed = try Curl.run([
                "-X", "POST", "-H", "Content-Type: application/json", "--data",
                #"{"currentTime":4,"sessionId":"\#(session)"}"#, a.baseURL + "/api/v1/videos/\(uuid)/views",
            ])
            #expect(viewed.status == 204)
        }
        let counted = try Self.eventually(45) {
            let video = try Self.video(b, uuid).json
            return video["likes"] as? Int == 1 && video["views"] as? Int == 2
        }
        let countsOnB = try Self.video(b, uuid).json
        #expect(counted, "B counts \(countsOnB["likes"] ?? "?") likes, \(countsOnB["views"] ?? "?") views\n\(logs())")
        let seenByC = try Self.eventually(45) {
            let video = try Self.video(c, uuid).json
            return video["views"] as? Int == 2 && video["likes"] as? Int == 1
        }
        #expect(seenByC, "C never got B's view and like counts\n\(logs())")
        let unliked = try Curl.run([
            "-X", "PUT", "-H", "Authorization: Bearer \(tokenA)", "-H", "Content-Type: application/json", "--data",
            #"{"rating":"none"}"#, a.baseURL + "/api/v1/videos/\(uuid)/rate",
        ])
        #expect(unliked.status == 204)
        let undone = try Self.eventually { try Self.video(b, uuid).json["likes"] as? Int == 0 }
        #expect(undone, "B still counts A's like after its Undo\n\(logs())")

        // B deletes: gone from A and C.
        let deleted = try Curl.run([
            "-X", "DELETE", "-H", "Authorization: Bearer \(tokenB)", b.baseURL + "/api/v1/videos/\(uuid)",
        ])
        #expect(deleted.status == 204)
        for server in [a, c] {
            let gone = try Self.eventually { try Self.video(server, uuid).status == 404 }
            #expect(gone, "\(server.baseURL) still has the deleted video\n\(logs())")
        }
        #expect(try Self.search(a, "search=rabbits").isEmpty)

        // A unfollows B: B's other video goes from A as well; C keeps it.
        let unfollowed = try Curl.run([
            "-X", "DELETE", "-H", "Authorization: Bearer \(tokenA)", a.baseURL + "/api/v1/server/following/\(hostB)",
        ])
        #expect(unfollowed.status == 204)
        #expect(try Self.video(a, earlier).status == 404)
        #expect(try Self.video(c, earlier).status == 200)
    }

    @Test("without auto-accept the administrator accepts a follower (Accept) or removes it (Reject)")
    func manualAccept() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("herd-fed-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let a = try Self.start(root + "/a")
        defer { a.stop() }
        let b = try Self.start(root + "/b", ["HERD_FEDERATION_AUTO_ACCEPT_FOLLOWERS": "false"])
        defer { b.stop() }
        let tokenA = try Curl.login(a.baseURL, "root", Self.password)
        let tokenB = try Curl.login(b.baseURL, "root", Self.password)
        let follow = try Curl.run([
            "-X", "POST", "-H", "Authorization: Bearer \(tokenA)", "-H", "Content-Type: application/json", "--data",
            #"{"hosts":["\#(b.host):\#(b.port)"]}"#, a.baseURL + "/api/v1/server/following",
        ])
        #expect(follow.status == 204)
        let pending = try Self.eventually {
            try Self.list(b.baseURL, "/api/v1/server/followers", token: tokenB).first?["state"] as? String == "pending"
        }
        #expect(pending, "B never listed A's follow as pending\n\(b.output.suffix(2000))")
        let handle = "peertube@\(a.host):\(a.port)"
        func decide(_ method: String, _ path: String) throws -> Int {
            try Curl.run(["-X", method, "-H", "Authorization: Bearer \(tokenB)", b.baseURL + path]).status
        }
        #expect(try decide("POST", "/api/v1/server/followers/nobody/accept") == 400)
        #expect(try decide("POST", "/api/v1/server/followers/peertube@elsewhere.example/accept") == 404)
        #expect(try decide("POST", "/api/v1/server/followers/\(handle)/accept") == 204)
        let accepted = try Self.eventually {
            try Self.list(a.baseURL, "/api/v1/server/following", token: tokenA).first?["state"] as? String
                == "accepted"
        }
        #expect(accepted, "A never learnt of the Accept\n\(a.output.suffix(2000))")
        #expect(try decide("DELETE", "/api/v1/server/followers/\(handle)") == 204)
        #expect(try Self.list(b.baseURL, "/api/v1/server/followers", token: tokenB).isEmpty)
        let rejected = try Self.eventually {
            try Self.list(a.baseURL, "/api/v1/server/following", token: tokenA).isEmpty
        }
        #expect(rejected, "A still follows B after B's Reject\n\(a.output.suffix(2000))")
    }

    @Test("federation.allowlist: an instance outside it cannot follow in, and is not followed")
    func allowlist() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("herd-fed-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let a = try Self.start(root + "/a")
        defer { a.stop() }
        let closed = try Self.start(root + "/d", ["HERD_FEDERATION_ALLOWLIST": "school.example, other.example:8443"])
        defer { closed.stop() }
        let tokenA = try Curl.login(a.baseURL, "root", Self.password)
        let tokenD = try Curl.login(closed.baseURL, "root", Self.password)
        // D refuses to follow A.
        let refused = try Curl.run([
            "-X", "POST", "-H", "Authorization: Bearer \(tokenD)", "-H", "Content-Type: application/json", "--data",
            #"{"hosts":["\#(a.host):\#(a.port)"]}"#, closed.baseURL + "/api/v1/server/following",
        ])
        #expect(refused.status == 400, "\(refused.body)")
        // A's Follow reaches D's inbox, which answers 403: A's delivery fails for good, D lists no follower.
        let follow = try Curl.run([
            "-X", "POST", "-H", "Authorization: Bearer \(tokenA)", "-H", "Content-Type: application/json", "--data",
            #"{"hosts":["\#(closed.host):\#(closed.port)"]}"#, a.baseURL + "/api/v1/server/following",
        ])
        // A fetches D's instance actor first; D serves it (reading public documents is not federating).
        #expect(follow.status == 204, "\(follow.body)")
        let failed = try Self.eventually {
            try Self.list(a.baseURL, "/api/v1/jobs/failed?jobType=activitypub-http-unicast", token: tokenA)
                .contains { ($0["error"] as? String)?.contains("403") == true }
        }
        #expect(failed, "A's Follow was not refused\n\(a.output.suffix(2000))\n\(closed.output.suffix(2000))")
        #expect(try Self.list(closed.baseURL, "/api/v1/server/followers", token: tokenD).isEmpty)
        #expect(
            try Self.list(a.baseURL, "/api/v1/server/following", token: tokenA).first?["state"] as? String == "pending")
    }

    static func httpDate() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: Date())
    }
}

/// An independent ActivityPub peer: fediverse-pasture's `verify_actor` (PyPI) fetches a Herd actor, posts to its
/// inbox as six actors (unsigned and signed in several ways) and checks WebFinger.
@Suite("fediverse-pasture verify_actor against Herd", .serialized, .ownThread)
struct PastureVerifyActorTests {
    @Test("unsigned posts are refused, signed ones accepted, the actor and WebFinger check out")
    func verifyActor() throws {
        if try Subprocess.run("/usr/bin/env", ["python3", "-c", "import fediverse_pasture"]).status != 0 {
            let install = try Subprocess.run(
                "/usr/bin/env",
                [
                    "python3", "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "fediverse-pasture==0.2.25",
                ])
            try #require(install.status == 0, "pip install fediverse-pasture failed: \(install.output)")
        }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("herd-pasture-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: root + "/pasture", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let port = try ServerProcess.freePort()
        // It binds 0.0.0.0 and writes its configuration to the working directory.
        let pasture = Process()
        pasture.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        pasture.arguments = [
            "python3", "-m", "fediverse_pasture.verify_actor", "--port", String(port), "--domain", "127.0.0.1:\(port)",
        ]
        pasture.currentDirectoryURL = URL(fileURLWithPath: root + "/pasture")
        pasture.standardOutput = FileHandle.nullDevice
        pasture.standardError = FileHandle.nullDevice
        let pastureExit = try ProcessExit(starting: pasture)
        defer {
            kill(pastureExit.pid, SIGKILL)  // it waits out SIGTERM for its open connections
            pastureExit.wait()
        }
        let herd = try FederationTests.start(root + "/herd")
        defer { herd.stop() }
        var result: [String: Any] = [:]
        let deadline = Date() + 60
        while Date() < deadline, !pastureExit.hasExited {
            let response = try Curl.run([
                "-m", "60", "-H", "Accept: application/json",
                "http://127.0.0.1:\(port)/?actor_uri=\(herd.baseURL)/accounts/root",
            ])
            if response.status == 200, let json = try? Curl.json(response.body) {
                result = json["result"] as? [String: Any] ?? [:]
                break
            }
            usleep(300_000)  // verify_actor still starting
        }
        func outcome(_ actor: String, _ key: String) -> Bool? { (result[actor] as? [String: Any])?[key] as? Bool }
        #expect(!result.isEmpty, "verify_actor gave no result; Herd's log:\n\(herd.output.suffix(3000))")
        for actor in ["alice", "bob", "claire", "dean", "emily", "frank"] {
            #expect(outcome(actor, "get_actor") == true, "\(actor) could not fetch the actor")
        }
        #expect(outcome("alice", "post_inbox") == false, "an unsigned POST was accepted")
        #expect(outcome("bob", "post_inbox") == true)
        #expect(outcome("claire", "post_inbox") == true)
        #expect(result["webfinger"] as? Bool == true)
    }
}
