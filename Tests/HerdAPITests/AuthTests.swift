import Foundation
import HTTPTypes
import HerdCore
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("OAuth and users")
struct AuthTests {
    @Test("local client answers only for the configured host")
    func localClientHostCheck() async throws {
        let instance = try await TestInstance()
        defer { instance.remove() }
        // The test client sends the authority `localhost`, the instance's public host.
        try await instance.withClient { client in
            let good = try await client.execute(uri: "/api/v1/oauth-clients/local", method: .get)
            #expect(good.status == .ok)
            let json = try good.json()
            #expect((json["client_id"] as? String)?.count == 32)
            #expect((json["client_secret"] as? String)?.count == 32)
            let again = try await client.execute(uri: "/api/v1/oauth-clients/local", method: .get).json()
            #expect(again["client_id"] as? String == json["client_id"] as? String)
        }
        let other = try await TestInstance { $0["webserver.hostname"] = "videos.example.org" }
        defer { other.remove() }
        try await other.withClient { client in
            let bad = try await client.execute(uri: "/api/v1/oauth-clients/local", method: .get)
            #expect(bad.status == .forbidden)
            #expect(bad.headers[.contentType]?.hasPrefix("application/problem+json") == true)
        }
    }

    @Test("password grant, /users/me, refresh grant and revocation")
    func tokenLifecycle() async throws {
        let instance = try await TestInstance()
        defer { instance.remove() }
        try await instance.withClient { client in
            let tokens = try await client.loginTokens("root", TestInstance.rootPassword)
            #expect(tokens["token_type"] as? String == "Bearer")
            #expect(tokens["expires_in"] as? Int == 86400)
            #expect(tokens["refresh_token_expires_in"] as? Int == 1_209_600)
            let access = try #require(tokens["access_token"] as? String)
            let refresh = try #require(tokens["refresh_token"] as? String)

            let me = try await client.request(.get, "/api/v1/users/me", token: access)
            #expect(me.status == .ok)
            let meJSON = try me.json()
            #expect(meJSON["username"] as? String == "root")
            #expect((meJSON["role"] as? [String: Any])?["id"] as? Int == 0)
            #expect((meJSON["account"] as? [String: Any])?["name"] as? String == "root")
            #expect((meJSON["videoChannels"] as? [[String: Any]])?.first?["name"] as? String == "root_channel")

            // Refresh: a new pair, and the old refresh token is spent.
            let clientJSON = try await client.execute(uri: "/api/v1/oauth-clients/local", method: .get).json()
            let form =
                "client_id=\(clientJSON["client_id"]!)&client_secret=\(clientJSON["client_secret"]!)&grant_type=refresh_token&refresh_token=\(refresh)"
            let refreshed = try await client.execute(
                uri: "/api/v1/users/token", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: form)
            )
            #expect(refreshed.status == .ok)
            #expect(refreshed.headers[.cacheControl] == "no-store")
            let newAccess = try #require(try refreshed.json()["access_token"] as? String)
            let again = try await client.execute(
                uri: "/api/v1/users/token", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: form)
            )
            #expect(again.status == .badRequest)
            #expect(try again.json()["code"] as? String == "invalid_grant")

            // Revocation ends the token.
            #expect(try await client.request(.post, "/api/v1/users/revoke-token", token: newAccess).status == .ok)
            let revoked = try await client.request(.get, "/api/v1/users/me", token: newAccess)
            #expect(revoked.status == .unauthorized)
            #expect(try revoked.json()["code"] as? String == "invalid_token")
        }
    }

    @Test("wrong credentials, wrong client, unknown grant")
    func badLogins() async throws {
        let instance = try await TestInstance()
        defer { instance.remove() }
        try await instance.withClient { client in
            let clientJSON = try await client.execute(uri: "/api/v1/oauth-clients/local", method: .get).json()
            let base = "client_id=\(clientJSON["client_id"]!)&client_secret=\(clientJSON["client_secret"]!)"
            let cases: [(String, String)] = [
                (base + "&grant_type=password&username=root&password=wrong", "invalid_grant"),
                (base + "&grant_type=password&username=nobody&password=wrong", "invalid_grant"),
                (
                    "client_id=x&client_secret=y&grant_type=password&username=root&password=root-password",
                    "invalid_client"
                ),
                (base + "&grant_type=client_credentials", "unsupported_grant_type"),
                (base + "&grant_type=password", "invalid_request"),
            ]
            for (form, code) in cases {
                let response = try await client.execute(
                    uri: "/api/v1/users/token", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: form)
                )
                #expect(response.status == .badRequest, "\(form)")
                #expect(try response.json()["code"] as? String == code, "\(form)")
            }
            // Malformed bearer headers and unknown tokens.
            for header in ["Bearer nonsense", "Basic abc", "Bearer"] {
                let response = try await client.execute(
                    uri: "/api/v1/users/me", method: .get, headers: [.authorization: header]
                )
                #expect(response.status == .unauthorized, "\(header)")
            }
            #expect(try await client.request(.get, "/api/v1/users/me").status == .unauthorized)
        }
    }

    @Test("an expired access token is refused, and so is an expired refresh token")
    func expiredToken() async throws {
        let clock = ManualWallClock()
        let instance = try await TestInstance(clock: clock)
        defer { instance.remove() }
        try await instance.withClient { client in
            let tokens = try await client.loginTokens("root", TestInstance.rootPassword)
            let token = try #require(tokens["access_token"] as? String)
            #expect(try await client.request(.get, "/api/v1/users/me", token: token).status == .ok)
            clock.advance(by: 86_401)
            let expired = try await client.request(.get, "/api/v1/users/me", token: token)
            #expect(expired.status == .unauthorized)
            #expect(try expired.json()["code"] as? String == "invalid_token")
            clock.advance(by: 14 * 86_400)
            let clientJSON = try await client.execute(uri: "/api/v1/oauth-clients/local", method: .get).json()
            let form =
                "client_id=\(clientJSON["client_id"]!)&client_secret=\(clientJSON["client_secret"]!)&grant_type=refresh_token&refresh_token=\(tokens["refresh_token"]!)"
            let refused = try await client.execute(
                uri: "/api/v1/users/token", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: form)
            )
            #expect(refused.status == .badRequest)
        }
    }

    @Test("registration follows signup.enabled and validates its fields")
    func registration() async throws {
        let closed = try await TestInstance()
        defer { closed.remove() }
        try await closed.withClient { client in
            let response = try await client.request(
                .post, "/api/v1/users/register",
                json: #"{"username":"alice","password":"secret1","email":"a@example.org"}"#
            )
            #expect(response.status == .forbidden)
        }
        let open = try await TestInstance { $0["signup.enabled"] = "true" }
        defer { open.remove() }
        try await open.withClient { client in
            let ok = try await client.request(
                .post, "/api/v1/users/register",
                json:
                    #"{"username":"alice","password":"secret1","email":"a@example.org","channel":{"name":"alice_videos","displayName":"Alice's videos"}}"#
            )
            #expect(ok.status == .noContent, "\(ok.text)")
            let token = try await client.login("alice", "secret1")
            let me = try await client.request(.get, "/api/v1/users/me", token: token).json()
            #expect((me["role"] as? [String: Any])?["id"] as? Int == 2)
            #expect((me["videoChannels"] as? [[String: Any]])?.first?["name"] as? String == "alice_videos")
            #expect(me["videoQuota"] as? Int == 10 * 1024 * 1024 * 1024)

            let bad: [(String, HTTPResponse.Status)] = [
                (#"{"username":"alice","password":"secret1","email":"b@example.org"}"#, .conflict),
                (#"{"username":"Bad Name","password":"secret1","email":"c@example.org"}"#, .badRequest),
                (#"{"username":"bob","password":"123","email":"d@example.org"}"#, .badRequest),
                (#"{"username":"bob","password":"secret1"}"#, .badRequest),
                (#"{"username":42,"password":"secret1","email":"e@example.org"}"#, .badRequest),
                (#"{"username":"bob","password":"secret1","email":"not-an-email"}"#, .badRequest),
                (#"{"username":"alice_videos","password":"secret1","email":"f@example.org"}"#, .conflict),
                ("not json", .badRequest),
            ]
            for (body, status) in bad {
                let response = try await client.request(.post, "/api/v1/users/register", json: body)
                #expect(response.status == status, "\(body) → \(response.status) \(response.text)")
            }
        }
    }

    @Test("an administrator opens and closes sign-up at run time (PUT /api/v1/config/custom), over the file")
    func signupMode() async throws {
        let instance = try await TestInstance()
        defer { instance.remove() }
        try await instance.withClient { client in
            let register = { (name: String) in
                try await client.request(
                    .post, "/api/v1/users/register",
                    json: #"{"username":"\#(name)","password":"secret1","email":"\#(name)@example.org"}"#)
            }
            #expect(try await register("carol").status == .forbidden)
            let admin = try await client.login("root", TestInstance.rootPassword)
            let user = try await client.createUser("dave", role: 2, adminToken: admin)
            let body = #"{"signup":{"enabled":true}}"#
            #expect(try await client.request(.put, "/api/v1/config/custom", json: body).status == .unauthorized)
            #expect(
                try await client.request(.put, "/api/v1/config/custom", token: user, json: body).status == .forbidden)
            let opened = try await client.request(.put, "/api/v1/config/custom", token: admin, json: body)
            #expect(opened.status == .ok, "\(opened.text)")
            let config = try await client.request(.get, "/api/v1/config").json()
            #expect((config["signup"] as? [String: Any])?["allowed"] as? Bool == true)
            #expect(try await register("carol").status == .noContent)
            let custom = try await client.request(.get, "/api/v1/config/custom", token: admin).json()
            #expect((custom["signup"] as? [String: Any])?["enabled"] as? Bool == true)
            _ = try await client.request(
                .put, "/api/v1/config/custom", token: admin, json: #"{"signup":{"enabled":false}}"#)
            #expect(try await register("erin").status == .forbidden)
            #expect(
                try await client.request(.put, "/api/v1/config/custom", token: admin, json: "not json").status
                    == .badRequest)
        }
    }

    @Test("a new password signs the user out everywhere else; the session that set it stays")
    func passwordChangeRevokesTokens() async throws {
        let instance = try await TestInstance()
        defer { instance.remove() }
        try await instance.withClient { client in
            let admin = try await client.login("root", TestInstance.rootPassword)
            let otherAdminSession = try await client.login("root", TestInstance.rootPassword)
            let carol = try await client.createUser("carol", adminToken: admin)
            let carolId = try #require(
                try await client.request(.get, "/api/v1/users/me", token: carol).json()["id"] as? Int)
            #expect(
                try await client.request(
                    .put, "/api/v1/users/\(carolId)", token: admin, json: #"{"password":"a-new-secret"}"#
                ).status == .noContent)
            #expect(try await client.request(.get, "/api/v1/users/me", token: carol).status == .unauthorized)
            #expect(try await client.request(.get, "/api/v1/users/me", token: admin).status == .ok)
            // Its own password changed: the administrator's other session goes, this one stays.
            let rootId = try #require(
                try await client.request(.get, "/api/v1/users/me", token: admin).json()["id"] as? Int)
            #expect(
                try await client.request(
                    .put, "/api/v1/users/\(rootId)", token: admin, json: #"{"password":"another-root-secret"}"#
                ).status == .noContent)
            #expect(try await client.request(.get, "/api/v1/users/me", token: admin).status == .ok)
            #expect(
                try await client.request(.get, "/api/v1/users/me", token: otherAdminSession).status == .unauthorized)
        }
    }

    @Test("user administration needs the right role")
    func userAdministration() async throws {
        let instance = try await TestInstance()
        defer { instance.remove() }
        try await instance.withClient { client in
            let admin = try await client.login("root", TestInstance.rootPassword)
            let moderator = try await client.createUser("mod", role: 1, adminToken: admin)
            let user = try await client.createUser("carol", adminToken: admin)

            #expect(try await client.request(.get, "/api/v1/users", token: user).status == .forbidden)
            let list = try await client.request(.get, "/api/v1/users?count=2", token: moderator)
            #expect(list.status == .ok)
            #expect(try list.json()["total"] as? Int == 3)
            #expect(try list.jsonArray("data").count == 2)
            // Moderators cannot create or change users; administrators can.
            let denied = try await client.request(
                .post, "/api/v1/users", token: moderator,
                json: #"{"username":"dave","password":"secret1","email":"d@example.org","role":2}"#
            )
            #expect(denied.status == .forbidden)
            let carolId = try #require(
                try await client.request(.get, "/api/v1/users/me", token: user).json()["id"] as? Int)
            #expect(
                try await client.request(.put, "/api/v1/users/\(carolId)", token: admin, json: #"{"videoQuota":1234}"#)
                    .status
                    == .noContent
            )
            #expect(
                try await client.request(.get, "/api/v1/users/me", token: user).json()["videoQuota"] as? Int == 1234)
            #expect(
                try await client.request(.put, "/api/v1/users/\(carolId)", token: admin, json: #"{"role":9}"#).status
                    == .badRequest)
            #expect(
                try await client.request(.delete, "/api/v1/users/\(carolId)", token: moderator).status == .forbidden)
            #expect(try await client.request(.delete, "/api/v1/users/\(carolId)", token: admin).status == .noContent)
            #expect(try await client.request(.get, "/api/v1/users/me", token: user).status == .unauthorized)
            #expect(try await client.request(.get, "/api/v1/users/999", token: admin).status == .notFound)
        }
    }
}
