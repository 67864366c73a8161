import Foundation
import Testing


/// Several real `herd serve` processes on loopback, federating over HTTP with signed requests.
@Suite("Federation between instances", .serialized)
struct FederationTests {
    static let password = "federation-root-password"

    static func start(_ directory: String, _ extra: [String: String] = [:]) throws -> ServerProcess {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return try ServerProcess(
            directory: directory,
            environment: [
                "HERD_STORAGE_DIR": directory + "/storage", "HERD_ROOT_PASSWORD": password,
                "HERD_FEDERATION_ALLOW_PRIVATE_ADDRESSES": "true", "HERD_P2P_ENABLED": "false",
                "HERD_LOG_LEVEL": "info",
            ].merging(extra) { $1 })
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
        let followers = try Self.list(b.baseURL, "/api/v1/server/followers", token: tokenB)
        #expect(followers.count == 1)
        #expect((followers.first?["follower"] as? [String: Any])?["url"] as? String == a.baseURL + "/accounts/peertube")
        #expect(followers.first?["state"] as? String == "accepted")
        let following = try Self.list(a.baseURL, "/api/v1/server/following", token: tokenA)
        #expect((following.first?["following"] as? [String: Any])?["host"] as? String == hostB)

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

    static func httpDate() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: Date())
    }
}
