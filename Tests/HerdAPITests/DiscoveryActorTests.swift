import Foundation
import HTTPTypes
import HerdCore
import HerdCrypto
import HerdProcessing
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Federation: discovery and actors")
struct DiscoveryActorTests {
    static let activityJSON: HTTPFields = [.accept: "application/activity+json"]

    @Test("WebFinger finds accounts, channels and the instance actor on this host only")
    func webfinger() async throws {
        let instance = try await TestInstance()
        defer { instance.remove() }
        try await instance.withClient { client in
            let admin = try await client.login("root", TestInstance.rootPassword)
            _ = try await client.createUser("alice", adminToken: admin)
            for (resource, url) in [
                ("acct:alice@localhost", "http://localhost/accounts/alice"),
                ("alice@localhost", "http://localhost/accounts/alice"),
                ("acct:alice_channel@localhost", "http://localhost/video-channels/alice_channel"),
                ("acct:peertube@localhost", "http://localhost/accounts/peertube"),
                ("http://localhost/accounts/alice", "http://localhost/accounts/alice"),
            ] {
                let response = try await client.request(.get, "/.well-known/webfinger?resource=\(resource)")
                #expect(response.status == .ok, "\(resource): \(response.text)")
                #expect(response.headers[.contentType]?.hasPrefix("application/jrd+json") == true)
                let json = try response.json()
                let links = json["links"] as? [[String: Any]] ?? []
                #expect(links.first?["href"] as? String == url)
                #expect(links.first?["type"] as? String == "application/activity+json")
                #expect((json["aliases"] as? [String]) == [url])
                #expect((json["subject"] as? String)?.hasPrefix("acct:") == true)
            }
            for resource in ["acct:alice@elsewhere.example", "acct:nobody@localhost", "acct:", "alice"] {
                let response = try await client.request(.get, "/.well-known/webfinger?resource=\(resource)")
                #expect(response.status == .notFound, "\(resource) → \(response.status)")
                #expect(response.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            }
            #expect(try await client.request(.get, "/.well-known/webfinger").status == .badRequest)
        }
    }

    @Test("NodeInfo and host-meta point at the instance")
    func nodeinfo() async throws {
        let instance = try await TestInstance()
        defer { instance.remove() }
        try await instance.withClient { client in
            let links = try await client.request(.get, "/.well-known/nodeinfo").json()["links"] as? [[String: Any]]
            #expect(links?.first?["href"] as? String == "http://localhost/nodeinfo/2.0.json")
            #expect(links?.last?["href"] as? String == "http://localhost/accounts/peertube")
            let info = try await client.request(.get, "/nodeinfo/2.0.json").json()
            #expect(info["version"] as? String == "2.0")
            #expect(info["protocols"] as? [String] == ["activitypub"])
            #expect((info["software"] as? [String: Any])?["name"] as? String == "peertube")
            #expect(((info["usage"] as? [String: Any])?["users"] as? [String: Any])?["total"] as? Int == 1)
            let hostMeta = try await client.request(.get, "/.well-known/host-meta")
            #expect(hostMeta.headers[.contentType]?.hasPrefix("application/xrd+xml") == true)
            #expect(hostMeta.text.contains("http://localhost/.well-known/webfinger?resource={uri}"))
            #expect(try await client.request(.get, "/nodeinfo/2.1.json").status == .notFound)
        }
    }

    @Test("actors serve ActivityPub JSON with an RSA-2048 key by Accept, HTML otherwise")
    func actors() async throws {
        let instance = try await TestInstance(makeKeys: .rsa2048)  // each actor's own key, as in production
        defer { instance.remove() }
        try await instance.withClient { client in
            let admin = try await client.login("root", TestInstance.rootPassword)
            let alice = try await client.createUser("alice", adminToken: admin)
            let created = try await client.request(
                .post, "/api/v1/video-channels", token: alice,
                json: #"{"name":"alice_cooking","displayName":"Cooking"}"#)
            #expect(created.status == .ok)

            let person = try await client.request(.get, "/accounts/alice", headers: Self.activityJSON)
            #expect(person.status == .ok)
            #expect(person.headers[.contentType] == "application/activity+json; charset=utf-8")
            let json = try person.json()
            #expect(json["type"] as? String == "Person")
            #expect(json["id"] as? String == "http://localhost/accounts/alice")
            #expect(json["inbox"] as? String == "http://localhost/accounts/alice/inbox")
            #expect(json["outbox"] as? String == "http://localhost/accounts/alice/outbox")
            #expect(json["followers"] as? String == "http://localhost/accounts/alice/followers")
            #expect(json["following"] as? String == "http://localhost/accounts/alice/following")
            #expect((json["endpoints"] as? [String: Any])?["sharedInbox"] as? String == "http://localhost/inbox")
            let key = try #require(json["publicKey"] as? [String: Any])
            #expect(key["id"] as? String == "http://localhost/accounts/alice#main-key")
            #expect(key["owner"] as? String == "http://localhost/accounts/alice")
            let pem = try #require(key["publicKeyPem"] as? String)
            #expect(try RSAKey(pem: pem).bits == 2048)
            // The same key on every fetch (made once, at creation).
            let again = try await client.request(
                .get, "/a/alice",
                headers: [.accept: "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\""])
            #expect(((try again.json()["publicKey"]) as? [String: Any])?["publicKeyPem"] as? String == pem)

            for (path, type) in [
                ("/video-channels/alice_channel", "Group"), ("/video-channels/alice_cooking", "Group"),
                ("/c/alice_cooking", "Group"), ("/accounts/peertube", "Application"), ("/accounts/root", "Person"),
            ] {
                let response = try await client.request(.get, path, headers: Self.activityJSON)
                #expect(response.status == .ok, "\(path)")
                let actor = try response.json()
                #expect(actor["type"] as? String == type, "\(path)")
                let keyPEM = ((actor["publicKey"] as? [String: Any])?["publicKeyPem"] as? String) ?? ""
                #expect(try RSAKey(pem: keyPEM).bits == 2048, "\(path)")
                #expect(keyPEM != pem)
            }
            let group = try await client.request(.get, "/video-channels/alice_cooking", headers: Self.activityJSON)
                .json()
            #expect(
                (group["attributedTo"] as? [[String: Any]])?.first?["id"] as? String
                    == "http://localhost/accounts/alice")

            let html = try await client.request(.get, "/accounts/alice", headers: [.accept: "text/html"])
            #expect(html.status == .ok)
            #expect(html.headers[.contentType]?.hasPrefix("text/html") == true)
            // The web client's account page when `Web/` is found, else a page naming the handle.
            #expect(html.text.contains("@alice@localhost") || html.text.contains("/client/js/channel.js"))
            #expect(try await client.request(.get, "/accounts/nobody", headers: Self.activityJSON).status == .notFound)
            #expect(
                try await client.request(.get, "/video-channels/nobody", headers: Self.activityJSON).status == .notFound
            )
        }
    }

    @Test("outboxes: the instance's holds every public local video, ten per page; accounts and channels their own")
    func outboxes() async throws {
        let instance = try await TestInstance()
        defer { instance.remove() }
        for index in 1...12 { _ = try await VideosTests.makeVideo(instance, owner: "root", name: "public \(index)") }
        _ = try await VideosTests.makeVideo(instance, owner: "root", name: "secret", privacy: .private)
        try await instance.withClient { client in
            let collection = try await client.request(.get, "/accounts/peertube/outbox", headers: Self.activityJSON)
            let json = try collection.json()
            #expect(json["type"] as? String == "OrderedCollection" && json["totalItems"] as? Int == 12)
            #expect(json["first"] as? String == "http://localhost/accounts/peertube/outbox?page=1")
            let first = try await client.request(.get, "/accounts/peertube/outbox?page=1").json()
            let items = try #require(first["orderedItems"] as? [[String: Any]])
            #expect(items.count == 10 && items.allSatisfy { $0["type"] as? String == "Announce" })
            #expect((items.first?["object"] as? String)?.hasPrefix("http://localhost/videos/watch/") == true)
            #expect(first["next"] as? String == "http://localhost/accounts/peertube/outbox?page=2")
            let second = try await client.request(.get, "/accounts/peertube/outbox?page=2").json()
            #expect((second["orderedItems"] as? [Any])?.count == 2 && second["next"] == nil)
            #expect(
                try await client.request(.get, "/video-channels/root_channel/outbox").json()["totalItems"] as? Int == 12
            )
            #expect(try await client.request(.get, "/accounts/peertube/outbox?page=0").status == .badRequest)
            #expect(try await client.request(.get, "/accounts/nobody/outbox").status == .notFound)
        }
    }

    @Test(
        "every collection an actor or a video names answers: followers, following, playlists, outbox, comments, chapters"
    )
    func collections() async throws {
        let instance = try await TestInstance()
        defer { instance.remove() }
        let video = try await VideosTests.makeVideo(instance, owner: "root", name: "named collections")
        let channel = "http://localhost/video-channels/root_channel"
        let federation = instance.stores.federation
        // 11 accepted followers of the channel and one whose follow is still pending (not listed).
        for index in 1...12 {
            _ = try await federation.saveFollow(
                follower: "https://remote\(index).example/accounts/viewer", following: channel,
                activityID: "https://remote\(index).example/follows/1", state: index == 12 ? .pending : .accepted)
        }
        _ = try await federation.saveFollow(
            follower: "http://localhost/accounts/peertube", following: "https://other.example/accounts/peertube",
            activityID: "http://localhost/follows/1", state: .accepted)
        try await instance.withClient { client in
            func get(_ url: String) async throws -> [String: Any] {
                let path = String(url.dropFirst("http://localhost".count))
                let response = try await client.request(.get, path, headers: Self.activityJSON)
                #expect(response.status == .ok, "\(url)")
                #expect(response.headers[.contentType]?.hasPrefix("application/activity+json") == true, "\(url)")
                return try response.json()
            }
            var totals: [String: Int] = [:]
            for actor in [channel, "http://localhost/accounts/root", "http://localhost/accounts/peertube"] {
                let document = try await get(actor)
                for name in ["followers", "following", "playlists", "outbox"] {
                    let url = try #require(document[name] as? String)
                    let collection = try await get(url)
                    #expect(collection["type"] as? String == "OrderedCollection" && collection["id"] as? String == url)
                    let page = try await get(try #require(collection["first"] as? String))
                    #expect(page["type"] as? String == "OrderedCollectionPage" && page["partOf"] as? String == url)
                    totals[url] = collection["totalItems"] as? Int
                }
            }
            #expect(totals[channel + "/followers"] == 11 && totals[channel + "/following"] == 0)
            #expect(totals["http://localhost/accounts/peertube/following"] == 1)
            #expect(totals["http://localhost/accounts/root/playlists"] == 0)
            let first = try await get(channel + "/followers?page=1")
            let followers = try #require(first["orderedItems"] as? [String])
            #expect(followers.count == 10 && followers.allSatisfy { $0.hasSuffix(".example/accounts/viewer") })
            #expect(!followers.contains("https://remote12.example/accounts/viewer"))
            let second = try await get(try #require(first["next"] as? String))
            #expect((second["orderedItems"] as? [String])?.count == 1 && second["next"] == nil)
            #expect(
                try await get("http://localhost/accounts/peertube/following?page=1")["orderedItems"] as? [String]
                    == ["https://other.example/accounts/peertube"])
            // A video's rating counts, comments and chapters (none yet).
            let watch = "http://localhost/videos/watch/\(video.uuid.uuidString.lowercased())"
            let root = try await client.login("root", TestInstance.rootPassword)
            for text in ["First", "Second"] {
                let posted = try await client.request(
                    .post, "/api/v1/videos/\(video.uuid.uuidString.lowercased())/comment-threads", token: root,
                    json: #"{"text":"\#(text)"}"#)
                #expect(posted.status == .ok)
            }
            let object = try await get(watch)
            for name in ["likes", "dislikes"] { _ = try await get(try #require(object[name] as? String)) }
            let comments = try await get(try #require(object["comments"] as? String))
            #expect(comments["type"] as? String == "OrderedCollection" && comments["totalItems"] as? Int == 2)
            let firstComments = try await get(try #require(comments["first"] as? String))
            let notes = try #require(firstComments["orderedItems"] as? [String])
            #expect(notes.count == 2 && notes.allSatisfy { $0.hasPrefix(watch + "/comments/") })
            for note in notes { #expect(try await get(note)["type"] as? String == "Note") }
            let chapters = try await get(try #require(object["hasParts"] as? String))
            #expect(chapters["id"] as? String == object["hasParts"] as? String)
            #expect((chapters["hasPart"] as? [Any])?.isEmpty == true)
            for bad in ["/video-channels/root_channel/followers?page=0", "/accounts/root/following?page=x"] {
                #expect(try await client.request(.get, bad).status == .badRequest)
            }
            #expect(try await client.request(.get, "/video-channels/nobody/followers").status == .notFound)
        }
    }

    @Test("local actors made before federation get keys at start; the instance actor is made once")
    func backfill() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("herd-test-\(UUID().uuidString)")
            .path
        let first = try await TestInstance(directory: directory)
        defer { first.remove() }
        let instanceActor = try #require(try await first.stores.accounts.find(handle: Handle(name: "peertube")))
        let rootKeys = try #require(try await first.stores.actorKeys.keys(for: .account(1)))
        // A channel made without keys (as before this version, or a creation cut short).
        let channel = try await first.stores.channels.create(
            NewChannel(accountId: 1, name: "keyless", displayName: "Keyless"))
        #expect(try await first.stores.actorKeys.actorsWithoutKeys() == [.channel(channel.id)])
        let second = try await TestInstance(directory: directory)
        #expect(try await second.stores.actorKeys.actorsWithoutKeys() == [])
        #expect(try await second.stores.actorKeys.keys(for: .account(1)) == rootKeys)
        #expect(try await second.stores.accounts.find(handle: Handle(name: "peertube"))?.id == instanceActor.id)
    }
}
