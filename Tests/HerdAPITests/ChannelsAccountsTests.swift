import Foundation
import HTTPTypes
import HerdCore
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Channels and accounts")
struct ChannelsAccountsTests {
    @Test("channel lifecycle with ownership and role checks")
    func channelLifecycle() async throws {
        let instance = try await TestInstance()
        defer { instance.remove() }
        try await instance.withClient { client in
            let admin = try await client.login("root", TestInstance.rootPassword)
            let alice = try await client.createUser("alice", adminToken: admin)
            let bob = try await client.createUser("bob", adminToken: admin)
            let moderator = try await client.createUser("mod", role: 1, adminToken: admin)

            let body =
                #"{"name":"alice_cooking","displayName":"Cooking with Alice","description":"Recipes","support":"Tips welcome"}"#
            #expect(try await client.request(.post, "/api/v1/video-channels", json: body).status == .unauthorized)
            let created = try await client.request(.post, "/api/v1/video-channels", token: alice, json: body)
            #expect(created.status == .ok, "\(created.text)")
            let channelId = try #require((try created.json()["videoChannel"] as? [String: Any])?["id"] as? Int)
            #expect(
                try await client.request(.post, "/api/v1/video-channels", token: bob, json: body).status == .conflict)

            let fetched = try await client.request(.get, "/api/v1/video-channels/alice_cooking")
            #expect(fetched.status == .ok)
            let json = try fetched.json()
            #expect(json["id"] as? Int == channelId)
            #expect(json["displayName"] as? String == "Cooking with Alice")
            #expect(json["support"] as? String == "Tips welcome")
            #expect(json["url"] as? String == "http://localhost/video-channels/alice_cooking")
            #expect((json["ownerAccount"] as? [String: Any])?["name"] as? String == "alice")
            #expect(try await client.request(.get, "/api/v1/video-channels/alice_cooking@localhost").status == .ok)
            #expect(try await client.request(.get, "/api/v1/video-channels/nobody").status == .notFound)

            let update = #"{"displayName":"Alice cooks","description":"New recipes"}"#
            #expect(
                try await client.request(.put, "/api/v1/video-channels/alice_cooking", token: bob, json: update).status
                    == .forbidden)
            #expect(
                try await client.request(.put, "/api/v1/video-channels/alice_cooking", token: moderator, json: update)
                    .status
                    == .forbidden
            )
            #expect(
                try await client.request(.put, "/api/v1/video-channels/alice_cooking", token: alice, json: update)
                    .status == .noContent)
            #expect(
                try await client.request(.get, "/api/v1/video-channels/alice_cooking").json()["displayName"] as? String
                    == "Alice cooks"
            )
            let badUpdates = [
                #"{"displayName":""}"#, "{\"description\":\"\(String(repeating: "d", count: 1001))\"}",
                #"{"displayName":5}"#,
            ]
            for bad in badUpdates {
                #expect(
                    try await client.request(.put, "/api/v1/video-channels/alice_cooking", token: alice, json: bad)
                        .status == .badRequest)
            }
            let badCreates = [
                #"{"name":"Bad Name","displayName":"x"}"#, #"{"displayName":"no name"}"#, #"{"name":"ok_name"}"#,
                #"{"name":"alice","displayName":"taken by an account"}"#,
            ]
            for bad in badCreates {
                let status = try await client.request(.post, "/api/v1/video-channels", token: alice, json: bad).status
                #expect(status == .badRequest || status == .conflict, "\(bad) → \(status)")
            }

            let list = try await client.request(.get, "/api/v1/video-channels?sort=name&count=100")
            #expect(try list.json()["total"] as? Int == 5)
            let accountChannels = try await client.request(.get, "/api/v1/accounts/alice/video-channels?sort=name")
            #expect(
                try accountChannels.jsonArray("data").map { $0["name"] as? String } == [
                    "alice_channel", "alice_cooking",
                ])

            // A video in the channel goes with it; the last channel cannot be deleted.
            let video = try await VideosTests.makeVideo(instance, owner: "alice", name: "in the cooking channel")
            var moved = video
            moved.channelId = Int64(channelId)
            try await instance.stores.videos.update(moved)
            #expect(
                try await client.request(.get, "/api/v1/video-channels/alice_cooking/videos").json()["total"] as? Int
                    == 1)
            #expect(
                try await client.request(.delete, "/api/v1/video-channels/alice_cooking", token: bob).status
                    == .forbidden)
            #expect(
                try await client.request(.delete, "/api/v1/video-channels/alice_cooking", token: alice).status
                    == .noContent)
            #expect(try await client.request(.get, "/api/v1/videos/\(video.id)").status == .notFound)
            #expect(
                try await client.request(.delete, "/api/v1/video-channels/alice_channel", token: alice).status
                    == .conflict)
            // Administrators may manage any channel.
            let adminUpdate = try await client.request(
                .put, "/api/v1/video-channels/alice_channel", token: admin, json: #"{"support":"by admin"}"#
            )
            #expect(adminUpdate.status == .noContent)
        }
    }

    @Test("accounts: profile, videos and channels")
    func accounts() async throws {
        let instance = try await TestInstance()
        defer { instance.remove() }
        _ = try await VideosTests.makeVideo(instance, owner: "root", name: "root's video")
        try await instance.withClient { client in
            let account = try await client.request(.get, "/api/v1/accounts/root")
            #expect(account.status == .ok)
            let json = try account.json()
            #expect(json["name"] as? String == "root")
            #expect(json["host"] as? String == "localhost")
            #expect(json["url"] as? String == "http://localhost/accounts/root")
            #expect(json["isLocal"] as? Bool == true)
            let videos = try await client.request(
                .get, "/api/v1/accounts/root/videos?sort=-createdAt&start=0&count=30&nsfw=both")
            #expect(try videos.jsonArray("data").map { $0["name"] as? String } == ["root's video"])
            #expect(try await client.request(.get, "/api/v1/accounts/root@localhost").status == .ok)
            #expect(try await client.request(.get, "/api/v1/accounts/ghost").status == .notFound)
            #expect(try await client.request(.get, "/api/v1/accounts/ghost/videos").status == .notFound)
            #expect(try await client.request(.get, "/api/v1/accounts/root@other.example").status == .notFound)
        }
    }
}
