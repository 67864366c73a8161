import Foundation
import HerdCore
import HerdStorage
import Testing

@Suite("Store contract: federated videos and search")
struct RemoteVideoStoreTests {
    static func actor(_ url: String, host: String, shared: String? = nil) -> RemoteActorRecord {
        RemoteActorRecord(
            url: url, kind: "Application", preferredUsername: "peertube", name: nil, host: host, inbox: url + "/inbox",
            sharedInbox: shared, followers: nil, keyID: url, publicKeyPEM: "pem", fetchedAt: Date())
    }

    @Test(
        "old inbox ids and unreferenced remote actors are purged; followed and known actors stay",
        arguments: Backend.allCases)
    func purge(backend: Backend) async throws {
        let (stores, cleanup) = try await backend.makeStores()
        defer { cleanup() }
        let federation = stores.federation
        let old = Date().addingTimeInterval(-40 * 86_400)
        for name in ["stranger", "followed", "author"] {
            var record = Self.actor("https://x.example/\(name)", host: "x.example")
            record.fetchedAt = old
            try await federation.saveRemoteActor(record)
        }
        _ = try await federation.saveFollow(
            follower: "https://x.example/followed", following: "http://localhost/accounts/root", activityID: "f1",
            state: .accepted)
        _ = try await federation.saveRemoteAccount(
            url: "https://x.example/author", name: "author", displayName: "Author", description: nil,
            host: "x.example")
        #expect(try await federation.markSeen(activityID: "https://x.example/old", at: old))
        #expect(try await federation.markSeen(activityID: "https://x.example/new", at: Date()))
        let purged = try await federation.purge(
            seenBefore: Date().addingTimeInterval(-86_400), actorsFetchedBefore: Date().addingTimeInterval(-86_400))
        #expect(purged.seen == 1 && purged.actors == 1)
        #expect(try await federation.remoteActor(url: "https://x.example/stranger") == nil)
        #expect(try await federation.remoteActor(url: "https://x.example/followed") != nil)
        #expect(try await federation.remoteActor(url: "https://x.example/author") != nil)
        #expect(try await federation.markSeen(activityID: "https://x.example/old", at: Date()))
        #expect(try await !federation.markSeen(activityID: "https://x.example/new", at: Date()))
    }

    @Test(
        "remote accounts, channels and videos: upserted by URL, listed as not local, found by URL",
        arguments: Backend.allCases)
    func remoteVideos(backend: Backend) async throws {
        let (stores, cleanup) = try await backend.makeStores()
        defer { cleanup() }
        let host = "b.example:9000"
        let account = try await stores.federation.saveRemoteAccount(
            url: "http://\(host)/accounts/bob", name: "bob", displayName: "Bob", description: nil, host: host)
        let again = try await stores.federation.saveRemoteAccount(
            url: "http://\(host)/accounts/bob", name: "bob", displayName: "Bob B.", description: "hi", host: host)
        #expect(again.id == account.id)
        #expect(again.displayName == "Bob B." && again.url == "http://\(host)/accounts/bob" && again.host == host)
        let channel = try await stores.federation.saveRemoteChannel(
            url: "http://\(host)/video-channels/bob_channel", accountId: account.id, name: "bob_channel",
            displayName: "Bob's", description: nil, support: nil, host: host)
        #expect(channel.url == "http://\(host)/video-channels/bob_channel" && !channel.isLocal)

        let source = RemoteVideoSource(
            url: "http://\(host)/videos/watch/0b0f4a2c-1111-4c1c-9d1f-222233334444",
            thumbnailURL: "http://\(host)/lazy-static/thumbnails/x.jpg",
            webFiles: [
                .init(resolution: 720, width: 1280, height: 720, fps: 30, size: 1000, fileURL: "http://\(host)/a.mp4")
            ], playlistURL: "http://\(host)/master.m3u8", trackers: ["http://\(host)/tracker/announce"])
        let published = Date(timeIntervalSince1970: 1_700_000_000)
        let video = try await stores.videos.create(
            NewVideo(
                uuid: UUID(uuidString: "0b0f4a2c-1111-4c1c-9d1f-222233334444")!, channelId: channel.id,
                name: "Remote bunny", privacy: .public, state: .published, tags: ["animals"], duration: 42, views: 7,
                createdAt: published, publishedAt: published, remote: source))
        #expect(video.remote == source && !video.isLocal && video.duration == 42 && video.views == 7)
        #expect(video.publishedAt == published)
        let found = try #require(try await stores.videos.find(url: source.url))
        #expect(found.video == video)
        #expect(found.channel == channel && found.account.url == account.url)
        #expect(try await stores.videos.find(url: "http://\(host)/videos/watch/other") == nil)

        let remoteOnly = try await stores.videos.list(VideoQuery(isLocal: false))
        #expect(remoteOnly.data.map(\.video.id) == [video.id])
        #expect(try await stores.videos.list(VideoQuery(isLocal: true)).total == 0)
        #expect(try await stores.videos.list(VideoQuery(host: host)).total == 1)
        #expect(try await stores.videos.list(VideoQuery(host: "")).total == 0)

        var changed = video
        changed.name = "Remote rabbit"
        changed.remote?.webFiles = []
        try await stores.videos.update(changed)
        let reread = try #require(try await stores.videos.find(url: source.url)).video
        #expect(reread.name == "Remote rabbit" && reread.remote?.webFiles == [])
        #expect(try await stores.videos.list(VideoQuery(search: "rabit")).total == 1)

        // A remote video's counts are its origin's: a rating here moves them by its change only.
        var counted = reread
        counted.likes = 10
        try await stores.videos.update(counted)
        try await stores.interactions.rate(videoId: video.id, accountId: account.id, .like, url: nil)
        #expect(try await stores.videos.find(.id(video.id))?.video.likes == 11)
        try await stores.interactions.rate(videoId: video.id, accountId: account.id, .dislike, url: nil)
        let after = try await stores.videos.find(.id(video.id))?.video
        #expect(after?.likes == 10 && after?.dislikes == 1)
        #expect(try await stores.videos.list(VideoQuery(search: "bunny")).total == 0)
    }

    @Test(
        "search is typo-tolerant, ranks by match, and combines with host, duration and date filters",
        arguments: Backend.allCases)
    func search(backend: Backend) async throws {
        let (stores, cleanup) = try await backend.makeStores()
        defer { cleanup() }
        let alice = try await stores.users.create(StoreContractTests.newUser("alice"))
        let channel = alice.channels[0].id
        var ids: [String: Int64] = [:]
        for (name, duration, tags) in [
            ("Big Buck Bunny in the forest", 600, ["animation"]), ("Cooking pasta at home", 120, ["food"]),
            ("Bunny hop tutorial", 30, ["sport"]), ("Élan vital", 60, ["philosophy"]),
        ] {
            var video = try await stores.videos.create(
                NewVideo(channelId: channel, name: name, privacy: .public, state: .published, tags: tags))
            video.duration = duration
            try await stores.videos.update(video)
            ids[name] = video.id
        }
        func names(_ query: VideoQuery) async throws -> [String] {
            var query = query
            query.sort = VideoSort(column: .match, descending: true)
            return try await stores.videos.list(query).data.map(\.video.name)
        }
        // Exact, misspelt (a letter dropped, swapped, doubled), another case and accents, a tag.
        #expect(
            try await Set(names(VideoQuery(search: "bunny"))) == ["Big Buck Bunny in the forest", "Bunny hop tutorial"])
        #expect(try await names(VideoQuery(search: "buck buny")).first == "Big Buck Bunny in the forest")
        #expect(try await names(VideoQuery(search: "cookign pasta")) == ["Cooking pasta at home"])
        #expect(try await names(VideoQuery(search: "pastaa")) == ["Cooking pasta at home"])
        #expect(try await names(VideoQuery(search: "ELAN")) == ["Élan vital"])
        #expect(try await names(VideoQuery(search: "philosophy")) == ["Élan vital"])
        // The description too, kept in the index when the video is edited.
        var pasta = try #require(try await stores.videos.find(.id(ids["Cooking pasta at home"]!))?.video)
        pasta.description = "Grandmother's carbonara, step by step."
        try await stores.videos.update(pasta)
        #expect(try await names(VideoQuery(search: "carbonara")) == ["Cooking pasta at home"])
        // The better match first: "bunny hop" holds all of the second video's words.
        #expect(try await names(VideoQuery(search: "bunny hop")).first == "Bunny hop tutorial")
        // Unrelated words, punctuation only, and filters.
        #expect(try await names(VideoQuery(search: "quantum chromodynamics")).isEmpty)
        #expect(try await names(VideoQuery(search: "!!!")).isEmpty)
        #expect(try await names(VideoQuery(search: "bunny", durationMin: 100)) == ["Big Buck Bunny in the forest"])
        #expect(try await names(VideoQuery(search: "bunny", durationMax: 100)) == ["Bunny hop tutorial"])
        #expect(try await names(VideoQuery(search: "bunny", host: "elsewhere.example")).isEmpty)
        #expect(try await names(VideoQuery(search: "bunny", host: "")).count == 2)
        let future = Date().addingTimeInterval(3600)
        #expect(try await names(VideoQuery(search: "bunny", startDate: future)).isEmpty)
        #expect(try await names(VideoQuery(search: "bunny", endDate: future)).count == 2)
        // Deleting a video takes it out of the index.
        try await stores.videos.delete(id: ids["Bunny hop tutorial"]!)
        #expect(try await names(VideoQuery(search: "bunny")) == ["Big Buck Bunny in the forest"])
    }

    @Test("follower inboxes: accepted followers of any of the actors, shared inboxes once", arguments: Backend.allCases)
    func followerInboxes(backend: Backend) async throws {
        let (stores, cleanup) = try await backend.makeStores()
        defer { cleanup() }
        let me = "http://a.example/accounts/peertube"
        let channel = "http://a.example/video-channels/main"
        try await stores.federation.saveRemoteActor(
            Self.actor("http://b.example/accounts/peertube", host: "b.example", shared: "http://b.example/inbox"))
        try await stores.federation.saveRemoteActor(
            Self.actor("http://b.example/accounts/bob", host: "b.example", shared: "http://b.example/inbox"))
        try await stores.federation.saveRemoteActor(Self.actor("http://c.example/users/carol", host: "c.example"))
        try await stores.federation.saveRemoteActor(Self.actor("http://d.example/users/dan", host: "d.example"))
        _ = try await stores.federation.saveFollow(
            follower: "http://b.example/accounts/peertube", following: me, activityID: "f1", state: .accepted)
        _ = try await stores.federation.saveFollow(
            follower: "http://b.example/accounts/bob", following: channel, activityID: "f2", state: .accepted)
        _ = try await stores.federation.saveFollow(
            follower: "http://c.example/users/carol", following: channel, activityID: "f3", state: .accepted)
        _ = try await stores.federation.saveFollow(
            follower: "http://d.example/users/dan", following: channel, activityID: "f4", state: .pending)
        #expect(
            try await stores.federation.followerInboxes(of: [me, channel])
                == ["http://b.example/inbox", "http://c.example/users/carol/inbox"])
        #expect(try await stores.federation.followerInboxes(of: []) == [])

        _ = try await stores.federation.saveFollow(
            follower: me, following: "http://b.example/accounts/peertube", activityID: "f5", state: .accepted)
        _ = try await stores.federation.saveFollow(
            follower: me, following: "http://d.example/users/dan", activityID: "f6", state: .pending)
        #expect(try await stores.federation.follows(host: "b.example", follower: me))
        #expect(try await !stores.federation.follows(host: "d.example", follower: me))
        #expect(try await !stores.federation.follows(host: "c.example", follower: me))
    }
}
