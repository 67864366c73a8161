import Foundation
import HTTPTypes
import HerdCore
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Videos API")
struct VideosTests {
    /// Creates a video directly in the store, owned by `username`'s default channel.
    static func makeVideo(
        _ instance: TestInstance, owner username: String, name: String, privacy: VideoPrivacy = .public,
        state: VideoState = .published, tags: [String] = [], category: Int? = nil
    ) async throws -> Video {
        let account = try #require(try await instance.stores.accounts.find(handle: Handle(name: username)))
        let channels = try await instance.stores.channels.list(
            accountId: account.id, pagination: Pagination(), sort: .createdAt)
        return try await instance.stores.videos.create(
            NewVideo(
                channelId: channels.data[0].channel.id, name: name, privacy: privacy, state: state, category: category,
                tags: tags
            )
        )
    }

    @Test("list paginates and sorts, with PeerTube's envelope and fields")
    func listPagination() async throws {
        let instance = try await TestInstance()
        defer { instance.remove() }
        for index in 1...23 {
            _ = try await Self.makeVideo(instance, owner: "root", name: String(format: "video %02d", index))
        }
        try await instance.withClient { client in
            let first = try await client.request(.get, "/api/v1/videos")
            #expect(first.status == .ok)
            #expect(try first.json()["total"] as? Int == 23)
            let data = try first.jsonArray("data")
            #expect(data.count == 15)
            #expect(data[0]["name"] as? String == "video 23")  // -publishedAt by default
            for key in [
                "id", "uuid", "shortUUID", "url", "name", "category", "licence", "language", "privacy", "nsfw",
                "isLocal", "duration", "views", "likes", "dislikes", "embedPath", "createdAt", "publishedAt",
                "account", "channel",
            ] {
                #expect(data[0][key] != nil, "missing \(key)")
            }
            #expect((data[0]["privacy"] as? [String: Any])?["label"] as? String == "Public")
            #expect((data[0]["account"] as? [String: Any])?["host"] as? String == "localhost")

            let page = try await client.request(.get, "/api/v1/videos?start=20&count=5&sort=name").jsonArray("data")
            #expect(page.map { $0["name"] as? String } == ["video 21", "video 22", "video 23"])
            let byName = try await client.request(.get, "/api/v1/videos?count=2&sort=-name").jsonArray("data")
            #expect(byName.map { $0["name"] as? String } == ["video 23", "video 22"])

            for bad in ["count=101", "count=-1", "start=-3", "start=x", "sort=bogus", "nsfw=maybe", "isLocal=perhaps"] {
                let response = try await client.request(.get, "/api/v1/videos?\(bad)")
                #expect(response.status == .badRequest, "\(bad)")
                #expect(response.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            }
        }
    }

    @Test("filters by tags and category")
    func filters() async throws {
        let instance = try await TestInstance()
        defer { instance.remove() }
        _ = try await Self.makeVideo(instance, owner: "root", name: "cats", tags: ["cats", "pets"], category: 16)
        _ = try await Self.makeVideo(instance, owner: "root", name: "dogs", tags: ["dogs", "pets"], category: 16)
        _ = try await Self.makeVideo(instance, owner: "root", name: "music", tags: ["guitar"], category: 1)
        try await instance.withClient { client in
            func names(_ query: String) async throws -> Set<String> {
                Set(
                    try await client.request(.get, "/api/v1/videos?\(query)").jsonArray("data").compactMap {
                        $0["name"] as? String
                    })
            }
            do {
                let got = try await names("tagsOneOf=cats&tagsOneOf=guitar")
                #expect(got == ["cats", "music"])
            }
            do {
                let got = try await names("tagsAllOf[]=pets&tagsAllOf[]=dogs")
                #expect(got == ["dogs"])
            }
            do {
                let got = try await names("categoryOneOf=16")
                #expect(got == ["cats", "dogs"])
            }
            do {
                let got = try await names("categoryOneOf=1&isLocal=true")
                #expect(got == ["music"])
            }
            do {
                let got = try await names("isLocal=false")
                #expect(got == [])
            }
        }
    }

    @Test("privacy is enforced in lists and fetches")
    func privacy() async throws {
        let instance = try await TestInstance()
        defer { instance.remove() }
        try await instance.withClient { client in
            let admin = try await client.login("root", TestInstance.rootPassword)
            let alice = try await client.createUser("alice", adminToken: admin)
            let bob = try await client.createUser("bob", adminToken: admin)
            let publicVideo = try await Self.makeVideo(instance, owner: "alice", name: "public one")
            let unlisted = try await Self.makeVideo(instance, owner: "alice", name: "unlisted one", privacy: .unlisted)
            let privateVideo = try await Self.makeVideo(
                instance, owner: "alice", name: "private one", privacy: .private)
            let internalVideo = try await Self.makeVideo(
                instance, owner: "alice", name: "internal one", privacy: .internal)
            let transcoding = try await Self.makeVideo(instance, owner: "alice", name: "not ready", state: .toTranscode)

            func listed(_ path: String, _ token: String?) async throws -> Set<String> {
                Set(
                    try await client.request(.get, path, token: token).jsonArray("data").compactMap {
                        $0["name"] as? String
                    })
            }
            for path in [
                "/api/v1/videos", "/api/v1/accounts/alice/videos", "/api/v1/video-channels/alice_channel/videos",
            ] {
                do {
                    let got = try await listed(path, nil)
                    #expect(got == ["public one"], "\(path)")
                }
                do {
                    let got = try await listed(path, bob)
                    #expect(got == ["public one", "internal one"], "\(path)")
                }
            }
            let mine = try await listed("/api/v1/users/me/videos", alice)
            #expect(mine == ["public one", "unlisted one", "private one", "internal one", "not ready"])
            // Staff may widen lists; others may not.
            do {
                let got = try await listed("/api/v1/videos?privacyOneOf=3", admin)
                #expect(got == ["private one"])
            }
            #expect(try await client.request(.get, "/api/v1/videos?privacyOneOf=3", token: bob).status == .unauthorized)
            do {
                let got = try await listed("/api/v1/videos?include=1&privacyOneOf=1", admin)
                #expect(got == ["public one", "not ready"])
            }

            func status(_ video: Video, _ token: String?) async throws -> HTTPResponse.Status {
                try await client.request(.get, "/api/v1/videos/\(video.uuid.uuidString)", token: token).status
            }
            #expect(try await status(publicVideo, nil) == .ok)
            #expect(try await status(unlisted, nil) == .ok)
            #expect(try await status(privateVideo, nil) == .notFound)
            #expect(try await status(privateVideo, bob) == .notFound)
            #expect(try await status(privateVideo, alice) == .ok)
            #expect(try await status(privateVideo, admin) == .ok)
            #expect(try await status(internalVideo, nil) == .notFound)
            #expect(try await status(internalVideo, bob) == .ok)
            #expect(try await status(transcoding, nil) == .notFound)
            #expect(try await status(transcoding, alice) == .ok)
            // The description follows the same rules.
            #expect(
                try await client.request(.get, "/api/v1/videos/\(privateVideo.id)/description").status == .notFound
            )
        }
    }

    @Test("a video is found by id, UUID and shortUUID, with or without a trailing slash")
    func threeIds() async throws {
        let instance = try await TestInstance()
        defer { instance.remove() }
        let video = try await Self.makeVideo(instance, owner: "root", name: "findable")
        try await instance.withClient { client in
            for id in [String(video.id), video.uuid.uuidString.lowercased(), video.uuid.uuidString, video.shortUUID] {
                for suffix in ["", "/"] {
                    let response = try await client.request(.get, "/api/v1/videos/\(id)\(suffix)")
                    #expect(response.status == .ok, "\(id)\(suffix)")
                    let json = try response.json()
                    #expect(json["uuid"] as? String == video.uuid.uuidString.lowercased())
                    #expect(json["shortUUID"] as? String == video.shortUUID)
                    #expect(json["tags"] != nil)  // VideoDetails fields
                    #expect(json["trackerUrls"] != nil)
                }
            }
            #expect(try await client.request(.get, "/api/v1/videos/999999").status == .notFound)
            #expect(try await client.request(.get, "/api/v1/videos/\(UUID().uuidString)").status == .notFound)
            #expect(try await client.request(.get, "/api/v1/videos/not-an-id").status == .badRequest)
            let description = try await client.request(.get, "/api/v1/videos/\(video.shortUUID)/description")
            #expect(description.status == .ok)
            #expect(try description.json().keys.contains("description"))
        }
    }

    @Test("update checks ownership and every field")
    func update() async throws {
        let instance = try await TestInstance()
        defer { instance.remove() }
        try await instance.withClient { client in
            let admin = try await client.login("root", TestInstance.rootPassword)
            let alice = try await client.createUser("alice", adminToken: admin)
            let bob = try await client.createUser("bob", adminToken: admin)
            let video = try await Self.makeVideo(instance, owner: "alice", name: "original name")
            let path = "/api/v1/videos/\(video.uuid.uuidString)"

            let change = #"""
                {"name":"new name","description":"A long description","privacy":2,"tags":["one","two"],
                 "commentsPolicy":3,"downloadEnabled":false,"nsfw":true,"category":13,"licence":7,"language":"fr",
                 "support":"Please support me"}
                """#
            #expect(try await client.request(.put, path, json: change).status == .unauthorized)
            #expect(try await client.request(.put, path, token: bob, json: change).status == .forbidden)
            let ok = try await client.request(.put, path, token: alice, json: change)
            #expect(ok.status == .noContent, "\(ok.text)")
            let json = try await client.request(.get, path).json()
            #expect(json["name"] as? String == "new name")
            #expect(json["description"] as? String == "A long description")
            #expect((json["privacy"] as? [String: Any])?["id"] as? Int == 2)
            #expect(json["tags"] as? [String] == ["one", "two"])
            #expect((json["commentsPolicy"] as? [String: Any])?["id"] as? Int == 3)
            #expect(json["downloadEnabled"] as? Bool == false)
            #expect(json["nsfw"] as? Bool == true)
            #expect((json["category"] as? [String: Any])?["label"] as? String == "Education")
            #expect((json["language"] as? [String: Any])?["id"] as? String == "fr")
            #expect(json["support"] as? String == "Please support me")
            // Form-encoded updates work too (PeerTube's web client sends forms).
            let form = try await client.request(
                .put, path, token: alice, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "name=Form+name&commentsEnabled=false&tags[]=abc&tags[]=def")
            )
            #expect(form.status == .noContent, "\(form.text)")
            let afterForm = try await client.request(.get, path).json()
            #expect(afterForm["name"] as? String == "Form name")
            #expect(afterForm["commentsEnabled"] as? Bool == false)
            #expect(afterForm["tags"] as? [String] == ["abc", "def"])

            let longName = String(repeating: "x", count: 121)
            let bad = [
                #"{"name":"ab"}"#, "{\"name\":\"\(longName)\"}", #"{"privacy":9}"#, #"{"category":999}"#,
                #"{"licence":0}"#, #"{"language":"xx-nope"}"#, #"{"tags":["a"]}"#,
                #"{"tags":["one","two","three","four","five","six"]}"#, #"{"commentsPolicy":7}"#,
                #"{"name":12}"#, #"{"nsfw":"sometimes"}"#, #"{"originallyPublishedAt":"yesterday"}"#, "[1,2",
            ]
            for body in bad {
                let response = try await client.request(.put, path, token: alice, json: body)
                #expect(response.status == .badRequest, "\(body) → \(response.status)")
            }
            let oversized = String(repeating: "y", count: 7 * 1024 * 1024)
            let tooLarge = try await client.request(
                .put, path, token: alice, json: "{\"description\":\"\(oversized)\"}")
            #expect(tooLarge.status == .contentTooLarge)
            #expect(try await client.request(.get, path).json()["name"] as? String == "Form name")
        }
    }

    @Test("delete removes the video and every file it owns")
    func delete() async throws {
        let instance = try await TestInstance()
        defer { instance.remove() }
        let video = try await Self.makeVideo(instance, owner: "root", name: "doomed")
        let other = try await Self.makeVideo(instance, owner: "root", name: "survivor")
        let uuid = video.uuid.uuidString.lowercased()
        let owned: [(MediaKind, String)] = [
            (.originals, "\(uuid).mp4"), (.webVideos, "\(uuid)-720.mp4"), (.thumbnails, "\(uuid).jpg"),
            (.torrents, "\(uuid)-720.torrent"), (.hls, "\(uuid)/\(uuid)-720-fragmented.mp4"),
        ]
        let kept: (MediaKind, String) = (.webVideos, "\(other.uuid.uuidString.lowercased())-720.mp4")
        for (kind, key) in owned + [kept] { try await instance.media.write(kind, key, bytes: Array("x".utf8)) }
        _ = try await instance.stores.videoFiles.add(
            videoId: video.id, kind: .webVideo, resolution: 720, width: 1280, height: 720, fps: 30, size: 1,
            filename: "\(uuid)-720.mp4"
        )
        try await instance.withClient { client in
            let admin = try await client.login("root", TestInstance.rootPassword)
            let user = try await client.createUser("mallory", adminToken: admin)
            #expect(try await client.request(.delete, "/api/v1/videos/\(video.id)").status == .unauthorized)
            #expect(try await client.request(.delete, "/api/v1/videos/\(video.id)", token: user).status == .forbidden)
            #expect(try await client.request(.delete, "/api/v1/videos/\(video.id)", token: admin).status == .noContent)
            #expect(try await client.request(.get, "/api/v1/videos/\(video.id)").status == .notFound)
            #expect(try await client.request(.delete, "/api/v1/videos/\(video.id)", token: admin).status == .notFound)
        }
        for (kind, key) in owned { #expect(!(await instance.media.exists(kind, key)), "\(kind) \(key)") }
        #expect(!(await instance.media.exists(.hls, uuid)))
        #expect(await instance.media.exists(kept.0, kept.1))
        #expect(try await instance.stores.videoFiles.list(videoId: video.id).isEmpty)
    }

    @Test("constant maps and the public config")
    func constants() async throws {
        let instance = try await TestInstance { $0["instance.name"] = "Test Herd" }
        defer { instance.remove() }
        try await instance.withClient { client in
            #expect(try await client.request(.get, "/api/v1/videos/categories").json()["13"] as? String == "Education")
            #expect(
                try await client.request(.get, "/api/v1/videos/licences").json()["7"] as? String
                    == "Public Domain Dedication")
            #expect(try await client.request(.get, "/api/v1/videos/languages").json()["fr"] as? String == "French")
            #expect(try await client.request(.get, "/api/v1/videos/privacies").json()["3"] as? String == "Private")
            let config = try await client.request(.get, "/api/v1/config").json()
            #expect((config["instance"] as? [String: Any])?["name"] as? String == "Test Herd")
            #expect((config["signup"] as? [String: Any])?["allowed"] as? Bool == false)
            #expect(config["serverVersion"] as? String != nil)
        }
    }
}

@Suite("Anonymous list cache")
struct ListCacheTests {
    @Test("anonymous lists are served from memory until a change or the lifetime; signed-in lists never are")
    func cache() async throws {
        let clock = ManualWallClock()
        let instance = try await TestInstance(clock: clock) { $0["api.list_cache_ttl"] = "5s" }
        defer { instance.remove() }
        let video = try await VideosTests.makeVideo(instance, owner: "root", name: "first name")
        try await instance.withClient { client in
            let token = try await client.login("root", TestInstance.rootPassword)
            func names(_ token: String? = nil) async throws -> [String] {
                try await client.request(.get, "/api/v1/videos", token: token).jsonArray("data").compactMap {
                    $0["name"] as? String
                }
            }
            #expect(try await names() == ["first name"])
            // A change behind the API's back (another process) shows once the lifetime has passed.
            _ = try await VideosTests.makeVideo(instance, owner: "root", name: "second")
            #expect(try await names() == ["first name"])
            #expect(try await names(token) == ["second", "first name"])
            clock.advance(by: 6)
            #expect(try await names() == ["second", "first name"])
            // A change through the API shows at once.
            let renamed = try await client.request(
                .put, "/api/v1/videos/\(video.id)", token: token, json: #"{"name":"renamed"}"#)
            #expect(renamed.status == .noContent)
            #expect(try await names() == ["second", "renamed"])
            #expect(try await client.request(.delete, "/api/v1/videos/\(video.id)", token: token).status == .noContent)
            #expect(try await names() == ["second"])
        }
    }
}
