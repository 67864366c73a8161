import Foundation
import HerdCore
import HerdPostgres
import HerdStorage
import HerdTestSupport
import Logging
import Testing

/// The contract every storage backend must meet. Each test runs against every backend in `Backend.allCases`: the
/// embedded SQLite, and PostgreSQL 15 on loopback (`PostgresTestServer`: one database per test).
enum Backend: String, CaseIterable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// Fresh, empty stores on a real database.
    func makeStores() async throws -> (Stores, cleanup: @Sendable () -> Void) {
        switch self {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "herd-store-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let database = try SQLiteDatabase(path: directory.appendingPathComponent("herd.sqlite").path)
            return (database.stores, { try? FileManager.default.removeItem(at: directory) })
        case .postgres:
            let test = try await PostgresTestServer.shared.database()
            let database = try PostgresStorage(
                url: test.url, pool: 8, listensForJobs: true, logger: PostgresTestServer.quietLogger)
            let running = Task { await database.run() }
            return (
                database.stores,
                {
                    running.cancel()
                    Task { await test.drop() }
                }
            )
        }
    }
}

@Suite("Store contract")
struct StoreContractTests {
    static func newUser(_ name: String, quota: Int64 = -1) -> NewUser {
        NewUser(username: name, email: "\(name)@example.org", passwordHash: "hash", role: .user, videoQuota: quota)
    }

    @Test("users come with an account and a default channel; names are unique", arguments: Backend.allCases)
    func users(backend: Backend) async throws {
        let (stores, cleanup) = try await backend.makeStores()
        defer { cleanup() }
        let bundle = try await stores.users.create(Self.newUser("alice"))
        #expect(bundle.user.username == "alice")
        #expect(bundle.account.userId == bundle.user.id)
        #expect(bundle.channels.map(\.name) == ["alice_channel"])
        #expect(try await stores.users.find(id: bundle.user.id) == bundle.user)
        #expect(try await stores.users.find(usernameOrEmail: "ALICE")?.id == bundle.user.id)
        #expect(try await stores.users.find(usernameOrEmail: "alice@example.org")?.id == bundle.user.id)
        #expect(try await stores.accounts.find(userId: bundle.user.id) == bundle.account)
        #expect(try await stores.accounts.find(handle: Handle(name: "alice")) == bundle.account)

        await #expect(throws: HerdError.self) { _ = try await stores.users.create(Self.newUser("alice")) }
        // A username may not take a channel's name, and the failed attempt leaves nothing behind.
        await #expect(throws: HerdError.self) { _ = try await stores.users.create(Self.newUser("alice_channel")) }
        #expect(try await stores.users.count() == 1)

        var user = bundle.user
        user.videoQuota = 42
        user.role = .moderator
        try await stores.users.update(user)
        #expect(try await stores.users.find(id: user.id)?.videoQuota == 42)
        #expect(try await stores.users.find(id: user.id)?.role == .moderator)

        _ = try await stores.users.create(Self.newUser("bob"))
        let page = try await stores.users.list(start: 1, count: 10)
        #expect(page.total == 2)
        #expect(page.data.map(\.username) == ["bob"])

        try await stores.users.delete(id: user.id)
        #expect(try await stores.users.find(id: user.id) == nil)
        #expect(try await stores.accounts.find(userId: user.id) == nil)
        #expect(try await stores.channels.find(handle: Handle(name: "alice_channel")) == nil)
    }

    @Test("passwords are listed, checked, replaced, deleted", arguments: Backend.allCases)
    func videoPasswords(backend: Backend) async throws {
        let (stores, cleanup) = try await backend.makeStores()
        defer { cleanup() }
        let bundle = try await stores.users.create(Self.newUser("alice"))
        let new = NewVideo(channelId: bundle.channels[0].id, name: "protected", privacy: .passwordProtected)
        let video = try await stores.videos.create(new)
        try await stores.videoPasswords.replace(videoId: video.id, with: ["alpha", "beta"], now: Date())
        let passwords = try await stores.videoPasswords.list(videoId: video.id)
        #expect(passwords.map(\.password) == ["alpha", "beta"])
        #expect(try await stores.videoPasswords.contains(videoId: video.id, password: "beta"))
        #expect(try await !stores.videoPasswords.contains(videoId: video.id, password: "gamma"))
        try await stores.videoPasswords.replace(videoId: video.id, with: ["gamma"], now: Date())
        let replaced = try await stores.videoPasswords.list(videoId: video.id)
        #expect(replaced.map(\.password) == ["gamma"])
        #expect(try await stores.videoPasswords.delete(id: replaced[0].id, videoId: video.id))
        #expect(try await !stores.videoPasswords.delete(id: replaced[0].id, videoId: video.id))
        try await stores.videos.delete(id: video.id)
        #expect(try await stores.videoPasswords.list(videoId: video.id).isEmpty)
    }

    @Test("tokens are found by digest and purged when expired", arguments: Backend.allCases)
    func tokens(backend: Backend) async throws {
        let (stores, cleanup) = try await backend.makeStores()
        defer { cleanup() }
        let user = try await stores.users.create(Self.newUser("alice")).user
        let client = try await stores.tokens.localClient { OAuthClient(clientId: "id1", clientSecret: "secret1") }
        let again = try await stores.tokens.localClient { OAuthClient(clientId: "id2", clientSecret: "secret2") }
        #expect(client == again)
        let now = Date()
        let token = try await stores.tokens.insert(
            userId: user.id, accessTokenDigest: "a1", refreshTokenDigest: "r1", accessExpiresAt: now + 60,
            refreshExpiresAt: now + 120
        )
        _ = try await stores.tokens.insert(
            userId: user.id, accessTokenDigest: "a2", refreshTokenDigest: "r2", accessExpiresAt: now - 60,
            refreshExpiresAt: now - 30
        )
        #expect(try await stores.tokens.find(accessTokenDigest: "a1")?.id == token.id)
        #expect(try await stores.tokens.find(refreshTokenDigest: "r1")?.userId == user.id)
        try await stores.tokens.purge(expiredBefore: now)
        #expect(try await stores.tokens.find(accessTokenDigest: "a2") == nil)
        #expect(try await stores.tokens.find(accessTokenDigest: "a1") != nil)
        try await stores.tokens.deleteAll(userId: user.id)
        #expect(try await stores.tokens.find(accessTokenDigest: "a1") == nil)
    }

    @Test("channels: create, find by handle, list, update, delete", arguments: Backend.allCases)
    func channels(backend: Backend) async throws {
        let (stores, cleanup) = try await backend.makeStores()
        defer { cleanup() }
        let bundle = try await stores.users.create(Self.newUser("alice"))
        let channel = try await stores.channels.create(
            NewChannel(accountId: bundle.account.id, name: "cooking", displayName: "Cooking", description: "Food")
        )
        await #expect(throws: HerdError.self) {
            _ = try await stores.channels.create(
                NewChannel(accountId: bundle.account.id, name: "alice", displayName: "x"))
        }
        #expect(try await stores.channels.find(handle: Handle(name: "cooking"))?.channel == channel)
        #expect(try await stores.channels.find(id: channel.id)?.owner == bundle.account)
        #expect(try await stores.channels.count(accountId: bundle.account.id) == 2)
        let sorted = try await stores.channels.list(accountId: bundle.account.id, pagination: Pagination(), sort: .name)
        #expect(sorted.data.map(\.channel.name) == ["alice_channel", "cooking"])
        var changed = channel
        changed.displayName = "Cooking at home"
        changed.support = "Tip jar"
        try await stores.channels.update(changed)
        let found = try await stores.channels.find(id: channel.id)?.channel
        #expect(found?.displayName == "Cooking at home")
        #expect(found?.support == "Tip jar")
        try await stores.channels.delete(id: channel.id)
        #expect(try await stores.channels.find(id: channel.id) == nil)
    }

    @Test("videos: ids, filters, privacy, sort, tags, quota, files", arguments: Backend.allCases)
    func videos(backend: Backend) async throws {
        let (stores, cleanup) = try await backend.makeStores()
        defer { cleanup() }
        let alice = try await stores.users.create(Self.newUser("alice"))
        let bob = try await stores.users.create(Self.newUser("bob"))
        let aliceChannel = alice.channels[0].id
        var created: [Video] = []
        for (index, privacy) in [VideoPrivacy.public, .unlisted, .private, .public].enumerated() {
            created.append(
                try await stores.videos.create(
                    NewVideo(
                        channelId: index == 3 ? bob.channels[0].id : aliceChannel, name: "video \(index)",
                        privacy: privacy, state: .published, tags: ["Tag\(index)", "common"], originalSize: 100
                    )
                )
            )
        }
        let first = created[0]
        #expect(try await stores.videos.find(.id(first.id))?.video == first)
        #expect(try await stores.videos.find(.uuid(first.uuid))?.account == alice.account)
        #expect(try await stores.videos.find(.uuid(UUID())) == nil)

        let publicList = try await stores.videos.list(VideoQuery())
        #expect(publicList.total == 2)
        #expect(Set(publicList.data.map(\.video.name)) == ["video 0", "video 3"])
        let aliceAll = try await stores.videos.list(
            VideoQuery(accountId: alice.account.id, privacies: [], onlyPublished: false))
        #expect(aliceAll.total == 3)
        let byTag = try await stores.videos.list(VideoQuery(privacies: [], tagsOneOf: ["tag2"]))
        #expect(byTag.data.map(\.video.name) == ["video 2"])
        let byName = try await stores.videos.list(
            VideoQuery(
                pagination: Pagination(start: 1, count: 2), sort: VideoSort(column: .name, descending: true),
                privacies: [])
        )
        #expect(byName.total == 4)
        #expect(byName.data.map(\.video.name) == ["video 2", "video 1"])

        var updated = first
        updated.name = "renamed"
        updated.tags = ["fresh"]
        updated.state = .transcodingFailed
        updated.stateReason = "no video stream"
        try await stores.videos.update(updated)
        let reread = try #require(try await stores.videos.find(.id(first.id))?.video)
        #expect(reread.name == "renamed")
        #expect(reread.tags == ["fresh"])
        #expect(reread.stateReason == "no video stream")
        #expect(try await stores.videos.list(VideoQuery(privacies: [], tagsOneOf: ["tag0"])).total == 0)

        #expect(try await stores.videos.usedQuota(userId: alice.user.id, since: nil) == 300)
        #expect(try await stores.videos.usedQuota(userId: alice.user.id, since: Date() + 3600) == 0)
        #expect(try await stores.videos.count(channelId: aliceChannel) == 3)

        let file = try await stores.videoFiles.add(
            videoId: first.id, kind: .hls, resolution: 720, width: 1280, height: 720, fps: 30, size: 1000,
            filename: "x-720-fragmented.mp4"
        )
        _ = try await stores.videoFiles.add(
            videoId: first.id, kind: .hls, resolution: 1080, width: 1920, height: 1080, fps: 30, size: 2000,
            filename: "x-1080-fragmented.mp4"
        )
        let files = try await stores.videoFiles.list(videoId: first.id)
        #expect(files.map(\.resolution) == [1080, 720])
        #expect(files.last == file)
        #expect(files.last?.infoHash == nil)
        let hash = "0f498834733e8057ed5c6f2ee2b4efd8d84a76ee"
        try await stores.videoFiles.setTorrent(fileId: file.id, infoHash: hash, torrentFilename: "x-720-hls.torrent")
        let torrents = try await stores.videoFiles.listTorrents()
        #expect(torrents.map(\.file.id) == [file.id])
        #expect(torrents.first?.videoUUID == first.uuid)
        #expect(torrents.first?.file.infoHash == hash)
        #expect(torrents.first?.file.torrentFilename == "x-720-hls.torrent")
        try await stores.videos.delete(id: first.id)
        #expect(try await stores.videoFiles.listTorrents().isEmpty)
        #expect(try await stores.videos.find(.id(first.id)) == nil)
        #expect(try await stores.videoFiles.list(videoId: first.id).isEmpty)
    }

    @Test("upload sessions: reserve quota, resume, expire", arguments: Backend.allCases)
    func uploads(backend: Backend) async throws {
        let (stores, cleanup) = try await backend.makeStores()
        defer { cleanup() }
        let alice = try await stores.users.create(Self.newUser("alice"))
        let old = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 7200).rounded())  // exact in storage
        let session = UploadSession(
            id: "abc", userId: alice.user.id, channelId: alice.channels[0].id, filename: "a.mp4", mimeType: "video/mp4",
            totalSize: 1000, metadata: Data(#"{"name":"x"}"#.utf8), createdAt: old, updatedAt: old
        )
        try await stores.uploads.insert(session)
        #expect(try await stores.uploads.find(id: "abc") == session)
        #expect(
            try await stores.uploads.findResumable(userId: alice.user.id, filename: "a.mp4", totalSize: 1000) == session
        )
        #expect(try await stores.uploads.findResumable(userId: alice.user.id, filename: "a.mp4", totalSize: 999) == nil)
        #expect(try await stores.uploads.reservedBytes(userId: alice.user.id, excluding: nil) == 1000)
        #expect(try await stores.uploads.reservedBytes(userId: alice.user.id, excluding: "abc") == 0)
        #expect(try await stores.uploads.list(idleSince: Date() - 3600).map(\.id) == ["abc"])
        try await stores.uploads.touch(id: "abc", at: Date())
        #expect(try await stores.uploads.list(idleSince: Date() - 3600).isEmpty)
        try await stores.uploads.delete(id: "abc")
        #expect(try await stores.uploads.find(id: "abc") == nil)
    }
}

@Suite("SQLite specifics")
struct SQLiteTests {
    @Test("WAL mode, versioned migrations, reopening keeps data")
    func walAndMigrations() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "herd-sqlite-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("herd.sqlite").path
        do {
            let database = try SQLiteDatabase(path: path)
            #expect(try database.journalMode() == "wal")
            #expect(try database.synchronous() == 2)  // FULL
            #expect(
                try database.appliedMigrations() == [
                    "v1-users-accounts-channels-videos", "v2-jobs", "v3-torrents", "v4-actor-keys", "v5-federation",
                    "v6-remote-videos-search", "v7-comments", "v8-ratings", "v9-abuses", "v10-mirrors",
                    "v11-redundancy-allowed", "v12-mirror-copies", "v13-instance-settings", "v14-video-passwords",
                    "v15-search-descriptions", "v16-remote-videos-index", "v17-job-leases",
                ])
            _ = try await database.stores.users.create(StoreContractTests.newUser("alice"))
        }
        let reopened = try SQLiteDatabase(path: path)
        #expect(try await reopened.stores.users.count() == 1)
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
    }
}

@Suite("Stored tag round trip")
struct TagRoundTripTests {
    @Test("tags with quotes, backslashes and unicode survive storage", arguments: Backend.allCases)
    func tags(backend: Backend) async throws {
        let (stores, cleanup) = try await backend.makeStores()
        defer { cleanup() }
        let alice = try await stores.users.create(StoreContractTests.newUser("alice"))
        let tags = [#"say "hi""#, #"back\slash"#, "日本語", "comma, inside", "[brackets]"]
        let video = try await stores.videos.create(
            NewVideo(channelId: alice.channels[0].id, name: "tagged", tags: tags))
        #expect(try await stores.videos.find(.id(video.id))?.video.tags == tags)
        var plain = video
        plain.tags = ["plain", "simple"]
        try await stores.videos.update(plain)
        #expect(try await stores.videos.find(.uuid(video.uuid))?.video.tags == ["plain", "simple"])
    }
}
