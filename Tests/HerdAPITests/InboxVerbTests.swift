import Foundation
import HTTPTypes
import HerdAPI
import HerdApp
import HerdCore
import HerdCrypto
import HerdFederation
import HerdProcessing
import HerdTestSupport
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// A remote fediverse in memory: actor documents and objects by URL, served to the inbox's fetches.
final class FakeFediverse: ActivityPubFetcher, @unchecked Sendable {
    private let lock = NSLock()
    private var documents: [String: JSONValue] = [:]

    subscript(url: String) -> JSONValue? {
        get { lock.withLock { documents[url] } }
        set { lock.withLock { documents[url] = newValue } }
    }

    func fetch(_ url: String, signer: FederationSigner?) async throws -> JSONValue {
        let key = String(url.split(separator: "#", maxSplits: 1).first ?? "")
        guard let document = self[key] else { throw FetchedObjectGone() }
        return document
    }

    func fetchMedia(_ url: String, maxBytes: Int) async throws -> [UInt8] { [0xFF, 0xD8, 0xFF, 0xE0, 0, 0] }
}

/// A remote actor with its own key, published in the fake fediverse.
struct RemoteIdentity {
    let url: String
    let key: RSAKey

    init(_ url: String, kind: String = "Person", in fediverse: FakeFediverse) throws {
        self.url = url
        key = try RSAKey.generate()
        let host = URLParts(url)!
        fediverse[url] = [
            "id": .string(url), "type": .string(kind),
            "preferredUsername": .string(String(url.split(separator: "/").last!)),
            "inbox": .string(url + "/inbox"), "followers": .string(url + "/followers"),
            "endpoints": ["sharedInbox": .string("\(host.scheme)://\(host.authority)/inbox")],
            "publicKey": [
                "id": .string(url + "#main-key"), "owner": .string(url), "publicKeyPem": .string(key.publicKeyPEM),
            ],
        ]
    }
}

/// Each inbox verb on the real router, with real signatures, against a fake remote fediverse.
@Suite("Inbox verbs")
struct InboxVerbTests {
    static let remote = "https://remote.example"

    struct Setup {
        let instance: TestInstance
        let fediverse: FakeFediverse
        let processing: Processing
        let bob: RemoteIdentity
        let remoteInstance: RemoteIdentity
        let stranger: RemoteIdentity
        let localVideo: Video
    }

    static func setUp() async throws -> Setup {
        let fediverse = FakeFediverse()
        let instance = try await TestInstance(fetcher: fediverse)
        let processing = instance.herd.processing
        let bob = try RemoteIdentity("\(remote)/accounts/bob", in: fediverse)
        let remoteInstance = try RemoteIdentity("\(remote)/accounts/peertube", kind: "Application", in: fediverse)
        let stranger = try RemoteIdentity("https://stranger.example/users/eve", in: fediverse)
        fediverse["\(remote)/video-channels/bob_channel"] = [
            "id": .string("\(remote)/video-channels/bob_channel"), "type": "Group", "preferredUsername": "bob_channel",
            "name": "Bob's channel", "inbox": .string("\(remote)/video-channels/bob_channel/inbox"),
            "publicKey": [
                "id": .string("\(remote)/video-channels/bob_channel#main-key"),
                "publicKeyPem": .string(bob.key.publicKeyPEM),
            ],
        ]
        // This instance follows remote.example.
        let me = "http://localhost/accounts/peertube"
        try await processing.stores.federation.saveRemoteActor(
            RemoteActorRecord(
                url: remoteInstance.url, kind: "Application", preferredUsername: "peertube", name: nil,
                host: "remote.example", inbox: remoteInstance.url + "/inbox", sharedInbox: "\(remote)/inbox",
                followers: nil, keyID: remoteInstance.url + "#main-key", publicKeyPEM: remoteInstance.key.publicKeyPEM,
                fetchedAt: Date()))
        _ = try await processing.stores.federation.saveFollow(
            follower: me, following: remoteInstance.url, activityID: "\(me)/follows/1", state: .accepted)
        let localVideo = try await VideosTests.makeVideo(instance, owner: "root", name: "local video")
        return Setup(
            instance: instance, fediverse: fediverse, processing: processing, bob: bob, remoteInstance: remoteInstance,
            stranger: stranger, localVideo: localVideo)
    }

    /// POSTs `activity` to the shared inbox, signed by `signer` (its actor by default).
    static func post(
        _ client: any TestClientProtocol, _ activity: JSONValue, by signer: RemoteIdentity, path: String = "/inbox"
    ) async throws -> TestResponse {
        let body = activity.serialized
        var fields: HTTPFields = [.contentType: "application/activity+json"]
        for header in try HTTPSignature.sign(
            method: "POST", target: path, host: "localhost", body: body, keyID: signer.url + "#main-key",
            key: signer.key, now: Int(Date().timeIntervalSince1970))
        where header.name != "Host" {
            fields[HTTPField.Name(header.name)!] = header.value
        }
        return try await client.execute(uri: path, method: .post, headers: fields, body: ByteBuffer(bytes: body))
    }

    static func video(_ uuid: String, name: String, by owner: String = "\(remote)/accounts/bob") -> JSONValue {
        let id = "\(remote)/videos/watch/\(uuid)"
        return [
            "type": "Video", "id": .string(id), "uuid": .string(uuid), "name": .string(name), "duration": "PT42S",
            "published": "2026-01-02T03:04:05.000Z", "tag": [["type": "Hashtag", "name": "remote"]],
            "url": [
                [
                    "type": "Link", "mediaType": "video/mp4",
                    "href": .string("\(remote)/static/web-videos/\(uuid)-720.mp4"),
                    "height": 720, "width": 1280, "size": 1000, "fps": 30,
                ]
            ],
            "icon": [["type": "Image", "url": .string("\(remote)/lazy-static/thumbnails/\(uuid).jpg")]],
            "attributedTo": [
                ["type": "Person", "id": .string(owner)],
                ["type": "Group", "id": .string("\(remote)/video-channels/bob_channel")],
            ],
            "to": [.string(ActivityContext.publicAudience)],
        ]
    }

    /// The activity with another id.
    static func renamed(_ activity: JSONValue, to id: String) -> JSONValue {
        guard case .object(var fields) = activity else { return activity }
        fields["id"] = .string(id)
        return .object(fields)
    }

    @Test("Create, Update, Announce and Delete of videos: from followed origins only, never for another host")
    func videos() async throws {
        let setup = try await Self.setUp()
        defer { setup.instance.remove() }
        let app = Application(router: setup.instance.herd.router())
        try await app.test(.router) { client in
            let uuid = "11111111-2222-4333-8444-555555555555"
            let bob = setup.bob
            let create = Activities.wrap(
                .create, id: "\(Self.remote)/videos/watch/\(uuid)/activity", actor: bob.url,
                object: Self.video(uuid, name: "Remote rabbits"))
            #expect(try await Self.post(client, create, by: bob).status == .accepted)
            let stored = try #require(try await setup.processing.stores.videos.find(.uuid(UUID(uuidString: uuid)!)))
            #expect(!stored.video.isLocal && stored.video.name == "Remote rabbits" && stored.video.duration == 42)
            #expect(stored.channel.url == "\(Self.remote)/video-channels/bob_channel")
            let listed = try await client.request(.get, "/api/v1/videos?isLocal=false").jsonArray("data")
            #expect(listed.map { $0["uuid"] as? String } == [uuid])
            // Its thumbnail is fetched from the origin once and kept.
            let thumbnail = try await client.request(.get, "/lazy-static/thumbnails/\(uuid).jpg")
            #expect(thumbnail.status == .ok)

            let update = Activities.wrap(
                .update, id: "\(Self.remote)/videos/watch/\(uuid)/updates/1", actor: bob.url,
                object: Self.video(uuid, name: "Remote rabbits, renamed"))
            #expect(try await Self.post(client, update, by: bob).status == .accepted)
            #expect(
                try await setup.processing.stores.videos.find(.uuid(UUID(uuidString: uuid)!))?.video.name
                    == "Remote rabbits, renamed")

            // Another host cannot delete it, nor publish videos for remote.example.
            let stranger = setup.stranger
            let forgedDelete = Activities.delete(object: "\(Self.remote)/videos/watch/\(uuid)", actor: stranger.url)
            // Its id would be the origin's: refused, so it cannot take the real Delete's id first.
            #expect(try await Self.post(client, forgedDelete, by: stranger).status == .badRequest)
            #expect(
                try await Self.post(client, Self.renamed(forgedDelete, to: stranger.url + "/d/1"), by: stranger).status
                    == .accepted)
            #expect(try await setup.processing.stores.videos.find(.uuid(UUID(uuidString: uuid)!)) != nil)
            let forgedCreate = Activities.wrap(
                .create, id: "https://stranger.example/x", actor: stranger.url,
                object: Self.video("22222222-2222-4333-8444-555555555555", name: "Not theirs"))
            #expect(try await Self.post(client, forgedCreate, by: stranger).status == .badRequest)

            // Announce by the followed instance: fetched from the origin.
            let announced = "33333333-2222-4333-8444-555555555555"
            setup.fediverse["\(Self.remote)/videos/watch/\(announced)"] = Self.video(announced, name: "Shared")
            let announce = Activities.announce(
                id: "\(Self.remote)/videos/watch/\(announced)/announces/1", actor: setup.remoteInstance.url,
                object: "\(Self.remote)/videos/watch/\(announced)", cc: [])
            #expect(try await Self.post(client, announce, by: setup.remoteInstance).status == .accepted)
            #expect(
                try await setup.processing.stores.videos.find(url: "\(Self.remote)/videos/watch/\(announced)") != nil)

            let delete = Activities.delete(object: "\(Self.remote)/videos/watch/\(uuid)", actor: bob.url)
            #expect(try await Self.post(client, delete, by: bob).status == .accepted)
            #expect(try await setup.processing.stores.videos.find(.uuid(UUID(uuidString: uuid)!)) == nil)
        }
    }

    @Test("Create and Delete of Notes, Like, Dislike, Undo, View, Flag, repeats and unknown types")
    func interactions() async throws {
        let setup = try await Self.setUp()
        defer { setup.instance.remove() }
        let app = Application(router: setup.instance.herd.router())
        let stores = setup.processing.stores
        let video = setup.localVideo
        let videoURL = "http://localhost/videos/watch/\(video.uuid.uuidString.lowercased())"
        try await app.test(.router) { client in
            let bob = setup.bob
            let noteURL = "\(Self.remote)/accounts/bob/notes/1"
            let note: JSONValue = [
                "type": "Note", "id": .string(noteURL), "attributedTo": .string(bob.url),
                "inReplyTo": .string(videoURL), "content": "<p>Nice <b>video</b></p>",
                "published": "2026-01-02T03:04:05Z", "to": [.string(ActivityContext.publicAudience)],
            ]
            let create = Activities.wrap(.create, id: noteURL + "/activity", actor: bob.url, object: note)
            #expect(try await Self.post(client, create, by: bob).status == .accepted)
            // The same activity again is not processed twice.
            #expect(try await Self.post(client, create, by: bob).status == .accepted)
            let threads = try await client.request(.get, "/api/v1/videos/\(video.id)/comment-threads").json()
            #expect(threads["total"] as? Int == 1)
            let comment = try #require((threads["data"] as? [[String: Any]])?.first)
            #expect(comment["text"] as? String == "Nice video")
            #expect((comment["account"] as? [String: Any])?["host"] as? String == "remote.example")
            // A note attributed to someone else than its signer is refused.
            var forged = note
            if case .object(var fields) = forged {
                fields["id"] = .string("\(Self.remote)/accounts/bob/notes/2")
                fields["attributedTo"] = .string("\(Self.remote)/accounts/alice")
                forged = .object(fields)
            }
            let forgedCreate = Activities.wrap(
                .create, id: "\(Self.remote)/accounts/bob/notes/2/activity", actor: bob.url, object: forged)
            #expect(try await Self.post(client, forgedCreate, by: bob).status == .forbidden)
            // A forwarded note (signed by another actor) is taken only as its author's instance serves it.
            let forwardedURL = "\(Self.remote)/accounts/bob/notes/3"
            var forwardedNote = note
            if case .object(var fields) = forwardedNote {
                fields["id"] = .string(forwardedURL)
                fields["content"] = "as served by its instance"
                forwardedNote = .object(fields)
            }
            setup.fediverse[forwardedURL] = forwardedNote
            var tampered = forwardedNote
            if case .object(var fields) = tampered {
                fields["content"] = "as tampered with by the forwarder"
                tampered = .object(fields)
            }
            let forwarded = Activities.wrap(.create, id: forwardedURL + "/activity", actor: bob.url, object: tampered)
            #expect(try await Self.post(client, forwarded, by: setup.remoteInstance).status == .accepted)
            #expect(try await stores.comments.find(url: forwardedURL)?.comment.text == "as served by its instance")

            // Update of the note (an edit, as Mastodon sends them): only by its author.
            var edited = note
            if case .object(var fields) = edited {
                fields["content"] = "<p>Nice video, edited</p>"
                edited = .object(fields)
            }
            let strangerEdit = Activities.wrap(
                .update, id: setup.stranger.url + "/edits/1", actor: setup.stranger.url, object: edited)
            #expect(try await Self.post(client, strangerEdit, by: setup.stranger).status == .accepted)
            #expect(try await stores.comments.find(url: noteURL)?.comment.text == "Nice video")
            let edit = Activities.wrap(.update, id: noteURL + "/edits/1", actor: bob.url, object: edited)
            #expect(try await Self.post(client, edit, by: bob).status == .accepted)
            #expect(try await stores.comments.find(url: noteURL)?.comment.text == "Nice video, edited")

            // A Mastodon user (a Person) follows a local channel (a Group): recorded, and answered with an Accept.
            let follow = Activities.follow(
                id: bob.url + "/follows/9", actor: bob.url, object: "http://localhost/video-channels/root_channel")
            #expect(try await Self.post(client, follow, by: bob).status == .accepted)
            let record = try await stores.federation.follow(
                follower: bob.url, following: "http://localhost/video-channels/root_channel")
            #expect(record?.state == .accepted)
            let queued = try await stores.jobs.list(
                state: .pending, kind: JobKind.activityDelivery.rawValue, pagination: Pagination(count: 100))
            #expect(queued.data.contains { String(decoding: $0.payload, as: UTF8.self).contains("Accept") })

            // Delete of the note: only by its author.
            let strangerDelete = Self.renamed(
                Activities.delete(object: noteURL, actor: setup.stranger.url), to: setup.stranger.url + "/d/2")
            #expect(try await Self.post(client, strangerDelete, by: setup.stranger).status == .accepted)
            #expect(try await stores.comments.find(url: noteURL)?.comment.isDeleted == false)
            #expect(
                try await Self.post(client, Activities.delete(object: noteURL, actor: bob.url), by: bob).status
                    == .accepted)
            #expect(try await stores.comments.find(url: noteURL)?.comment.isDeleted == true)

            // Like, Dislike and their Undo keep the counts.
            let like = Activities.rate(.like, id: bob.url + "/likes/1", actor: bob.url, object: videoURL)
            #expect(try await Self.post(client, like, by: bob).status == .accepted)
            #expect(try await stores.videos.find(.id(video.id))?.video.likes == 1)
            let dislike = Activities.rate(.dislike, id: bob.url + "/dislikes/1", actor: bob.url, object: videoURL)
            #expect(try await Self.post(client, dislike, by: bob).status == .accepted)
            var counts = try await stores.videos.find(.id(video.id))?.video
            #expect(counts?.likes == 0 && counts?.dislikes == 1)
            let undo = Activities.undo(id: bob.url + "/dislikes/1/undo", actor: bob.url, object: dislike)
            #expect(try await Self.post(client, undo, by: bob).status == .accepted)
            counts = try await stores.videos.find(.id(video.id))?.video
            #expect(counts?.likes == 0 && counts?.dislikes == 0)

            // View: a batched count; PeerTube's viewer form (with expires) is not a view.
            _ = await setup.processing.interactions.drain()
            let views = Activities.views(id: bob.url + "/views/1", actor: bob.url, object: videoURL, count: 7)
            #expect(try await Self.post(client, views, by: bob).status == .accepted)
            var viewer = Activities.views(id: bob.url + "/views/2", actor: bob.url, object: videoURL, count: 1)
            if case .object(var fields) = viewer {
                fields["expires"] = "2030-01-01T00:00:00Z"
                viewer = .object(fields)
            }
            #expect(try await Self.post(client, viewer, by: bob).status == .accepted)
            #expect(await setup.processing.interactions.drain().views == [video.id: 7])

            // Flag: filed for moderators.
            let flag = Activities.flag(id: "\(Self.remote)/abuses/1", actor: bob.url, object: videoURL, content: "spam")
            #expect(try await Self.post(client, flag, by: bob).status == .accepted)
            let root = try await client.login("root", TestInstance.rootPassword)
            let abuses = try await client.request(.get, "/api/v1/abuses", token: root).json()
            let abuse = try #require((abuses["data"] as? [[String: Any]])?.first)
            #expect(abuse["reason"] as? String == "spam")
            #expect((abuse["video"] as? [String: Any])?["id"] as? Int == Int(video.id))
            #expect((abuse["reporterAccount"] as? [String: Any])?["host"] as? String == "remote.example")

            // Unknown types are accepted and ignored; an unsigned or badly signed body is refused.
            let unknown: JSONValue = [
                "type": "Move", "id": .string(bob.url + "/move/1"), "actor": .string(bob.url),
                "object": .string(bob.url),
            ]
            #expect(try await Self.post(client, unknown, by: bob).status == .accepted)
            let impostor = try RemoteIdentity("\(Self.remote)/accounts/mallory", in: FakeFediverse())
            let signedWrongKey = RemoteIdentity(url: bob.url, key: impostor.key)
            #expect(try await Self.post(client, like, by: signedWrongKey).status == .unauthorized)
        }
    }
}

/// Mirrors announcing their copies of local videos (issue 6's origin side).
@Suite("Inbox: CacheFile from mirrors")
struct MirrorAnnouncementTests {
    static func cacheFile(_ mirror: String, uuid: String, expires: String?) -> JSONValue {
        [
            "id": .string("\(mirror)/redundancy/streaming-playlists/hls/\(uuid)"), "type": "CacheFile",
            "object": .string("http://localhost/videos/watch/\(uuid)"),
            "expires": expires.map(JSONValue.string) ?? .null,
            "url": [
                "type": "Link", "mediaType": "application/x-mpegURL",
                "href": .string("\(mirror)/static/redundancy/hls/\(uuid)"),
            ],
        ]
    }

    static func redundancies(_ client: any TestClientProtocol, _ uuid: String) async throws -> [String] {
        let json = try await client.request(.get, "/api/v1/videos/\(uuid)").json()
        let playlist = (json["streamingPlaylists"] as? [[String: Any]])?.first
        return (playlist?["redundancies"] as? [[String: Any]])?.compactMap { $0["baseUrl"] as? String } ?? []
    }

    @Test("a followed instance's copy is listed as a redundancy until undone or expired; others' are not")
    func announcements() async throws {
        let setup = try await InboxVerbTests.setUp()
        defer { setup.instance.remove() }
        let video = setup.localVideo
        _ = try await setup.processing.stores.videoFiles.add(
            videoId: video.id, kind: .hls, resolution: 240, width: 426, height: 240, fps: 30, size: 1000,
            filename: "\(video.uuid.uuidString.lowercased())-240-fragmented.mp4")
        let uuid = video.uuid.uuidString.lowercased()
        let app = Application(router: setup.instance.herd.router())
        try await app.test(.router) { (client: any TestClientProtocol) async throws -> Void in
            let redundancies = { try await Self.redundancies(client, uuid) }
            let mirror = InboxVerbTests.remote
            let instance = setup.remoteInstance
            let create = Activities.wrap(
                .create, id: "\(mirror)/redundancy/1/activity", actor: instance.url,
                object: Self.cacheFile(mirror, uuid: uuid, expires: "2100-01-01T00:00:00.000Z"))
            #expect(try await InboxVerbTests.post(client, create, by: instance).status == .accepted)
            #expect(try await redundancies() == ["\(mirror)/static/redundancy/hls/\(uuid)"])
            // An instance this one does not follow (accept_from: followings) is not listed.
            let stranger = setup.stranger
            let strangerCreate = Activities.wrap(
                .create, id: "https://stranger.example/redundancy/1/activity", actor: stranger.url,
                object: Self.cacheFile("https://stranger.example", uuid: uuid, expires: nil))
            #expect(try await InboxVerbTests.post(client, strangerCreate, by: stranger).status == .accepted)
            #expect(try await redundancies().count == 1)
            // A copy claimed on another host than the sender's is refused.
            let elsewhere = Activities.wrap(
                .create, id: "\(mirror)/redundancy/2/activity", actor: instance.url,
                object: Self.cacheFile("https://other.example", uuid: uuid, expires: nil))
            #expect(try await InboxVerbTests.post(client, elsewhere, by: instance).status == .badRequest)
            // Renewed with an expiry in the past: no longer listed. Then undone.
            let expired = Activities.wrap(
                .update, id: "\(mirror)/redundancy/1/updates/1", actor: instance.url,
                object: Self.cacheFile(mirror, uuid: uuid, expires: "2001-01-01T00:00:00Z"))
            #expect(try await InboxVerbTests.post(client, expired, by: instance).status == .accepted)
            #expect(try await redundancies().isEmpty)
            let renewed = Activities.wrap(
                .update, id: "\(mirror)/redundancy/1/updates/2", actor: instance.url,
                object: Self.cacheFile(mirror, uuid: uuid, expires: nil))
            #expect(try await InboxVerbTests.post(client, renewed, by: instance).status == .accepted)
            #expect(try await redundancies().count == 1)
            let undo = Activities.undo(
                id: "\(mirror)/redundancy/1/undo", actor: instance.url,
                object: Self.cacheFile(mirror, uuid: uuid, expires: nil))
            #expect(try await InboxVerbTests.post(client, undo, by: instance).status == .accepted)
            #expect(try await redundancies().isEmpty)
        }
    }

    @Test(
        "a CacheFile forwarded for a remote video: believed from its origin once the mirror serves it, never otherwise")
    func forwardedForRemoteVideo() async throws {
        let setup = try await InboxVerbTests.setUp()
        defer { setup.instance.remove() }
        let uuid = "22222222-3333-4444-8555-666666666666"
        let app = Application(router: setup.instance.herd.router())
        try await app.test(.router) { (client: any TestClientProtocol) async throws -> Void in
            let origin = setup.remoteInstance
            let create = Activities.wrap(
                .create, id: "\(InboxVerbTests.remote)/videos/watch/\(uuid)/activity", actor: setup.bob.url,
                object: InboxVerbTests.video(uuid, name: "Mirrored elsewhere"))
            #expect(try await InboxVerbTests.post(client, create, by: setup.bob).status == .accepted)
            let mirror = "https://stranger.example"
            var cache = Self.cacheFile(mirror, uuid: uuid, expires: "2100-01-01T00:00:00.000Z")
            if case .object(var fields) = cache {
                fields["object"] = .string("\(InboxVerbTests.remote)/videos/watch/\(uuid)")
                cache = .object(fields)
            }
            let cacheID = try #require(cache["id"]?.string)
            func forwarded(_ id: String, by signer: RemoteIdentity, type: ActivityType = .create) -> JSONValue {
                Activities.wrap(type, id: "\(mirror)/redundancy/\(id)", actor: setup.stranger.url, object: cache)
            }
            // (The fixture video has no HLS playlist for the API to list them under: the stored mirrors are read.)
            let stores = setup.processing.stores
            func mirrorsOf(_ uuid: String) async throws -> [String] {
                guard let video = try await stores.videos.find(.uuid(UUID(uuidString: uuid)!)) else { return [] }
                return try await stores.mirrors.list(videoId: video.video.id, now: Date()).map(\.baseURL)
            }
            let redundancies = { try await mirrorsOf(uuid) }
            // Forwarded by its origin, but the mirror does not serve the CacheFile: not believed.
            #expect(try await InboxVerbTests.post(client, forwarded("1", by: origin), by: origin).status == .accepted)
            #expect(try await redundancies().isEmpty)
            // The mirror serves it: believed.
            setup.fediverse[cacheID] = cache
            #expect(try await InboxVerbTests.post(client, forwarded("2", by: origin), by: origin).status == .accepted)
            #expect(try await redundancies() == ["\(mirror)/static/redundancy/hls/\(uuid)"])
            // Forwarded by an instance that is not the video's origin: ignored, even though the mirror has it.
            let third = try RemoteIdentity("https://third.example/accounts/peertube", in: setup.fediverse)
            let other = "33333333-4444-4555-8666-777777777777"
            #expect(
                try await InboxVerbTests.post(
                    client,
                    Activities.wrap(
                        .create, id: "\(InboxVerbTests.remote)/videos/watch/\(other)/activity", actor: setup.bob.url,
                        object: InboxVerbTests.video(other, name: "Not mirrored")), by: setup.bob
                ).status == .accepted)
            var otherCache = cache
            if case .object(var fields) = otherCache {
                fields["object"] = .string("\(InboxVerbTests.remote)/videos/watch/\(other)")
                fields["id"] = .string("\(mirror)/redundancy/streaming-playlists/hls/\(other)")
                otherCache = .object(fields)
            }
            setup.fediverse["\(mirror)/redundancy/streaming-playlists/hls/\(other)"] = otherCache
            let byThird = Activities.wrap(
                .create, id: "\(mirror)/redundancy/3", actor: setup.stranger.url, object: otherCache)
            #expect(try await InboxVerbTests.post(client, byThird, by: third).status == .accepted)
            #expect(try await mirrorsOf(other).isEmpty)
            // A forwarded Undo while the mirror still serves the copy changes nothing; once it is gone, it goes.
            let created = Activities.wrap(.create, id: cacheID + "/activity", actor: setup.stranger.url, object: cache)
            let undo = Activities.undo(id: "\(mirror)/redundancy/4", actor: setup.stranger.url, object: created)
            #expect(try await InboxVerbTests.post(client, undo, by: origin).status == .accepted)
            #expect(try await redundancies().count == 1)
            setup.fediverse[cacheID] = nil
            let undoAgain = Activities.undo(id: "\(mirror)/redundancy/5", actor: setup.stranger.url, object: created)
            #expect(try await InboxVerbTests.post(client, undoAgain, by: origin).status == .accepted)
            #expect(try await redundancies().isEmpty)
        }
    }
}

/// The real thing: the request Mastodon 2.5.0 sent to PeerTube in 2018 (a reply to a video), replayed byte for byte
/// into Herd's inbox on a clock set to that day, with the Mastodon actor's real public key.
@Suite("Inbox: a real Mastodon reply")
struct MastodonReplyTests {
    @Test("Mastodon's signed Create Note lands as a comment on the video it replies to; tampered, it is refused")
    func replay() async throws {
        let clock = ManualWallClock(Date(timeIntervalSince1970: 1_540_215_262 + 60))
        let fediverse = FakeFediverse()
        let instance = try await TestInstance(clock: clock, fetcher: fediverse) { $0["webserver.port"] = "9000" }
        defer { instance.remove() }
        let actor = "http://localhost:3000/users/ronan2"
        let key = try #require(try FederationVectors.json("mastodon/public-key.json")["publicKey"] as? String)
        fediverse[actor] = [
            "id": .string(actor), "type": "Person", "preferredUsername": "ronan2", "name": "Ronan",
            "inbox": .string(actor + "/inbox"), "endpoints": ["sharedInbox": "http://localhost:3000/inbox"],
            "publicKey": ["id": .string(actor + "#main-key"), "owner": .string(actor), "publicKeyPem": .string(key)],
        ]
        let account = try #require(try await instance.stores.accounts.find(handle: Handle(name: "root")))
        let channels = try await instance.stores.channels.list(
            accountId: account.id, pagination: Pagination(), sort: .createdAt)
        let video = try await instance.stores.videos.create(
            NewVideo(
                uuid: UUID(uuidString: "90e6f8ed-b369-423c-b0c8-f44e5350c752")!,
                channelId: channels.data[0].channel.id, name: "zerg", privacy: .public, state: .published))
        let headers = try #require(
            try FederationVectors.json("mastodon/http-signature.json")["headers"] as? [String: String])
        let body = try FederationVectors.mastodonBody()
        func post(_ body: [UInt8]) async throws -> HTTPResponse.Status {
            var collected: HTTPFields = [:]
            for name in ["date", "digest", "content-type", "signature", "user-agent"] {
                collected[HTTPField.Name(name)!] = headers[name]
            }
            let fields = collected
            let app = Application(router: instance.herd.router())
            return try await app.test(.router) { client in
                try await client.execute(
                    uri: "/accounts/ronan/inbox", method: .post, headers: fields, body: ByteBuffer(bytes: body)
                ).status
            }
        }
        // One byte changed: the digest no longer matches.
        var tampered = body
        if let index = tampered.lastIndex(of: UInt8(ascii: "z")) { tampered[index] = UInt8(ascii: "Z") }
        #expect(try await post(tampered) == .unauthorized)
        #expect(try await post(body) == .accepted)
        let threads = try await instance.stores.comments.threads(
            videoId: video.id, pagination: Pagination(), sort: .createdAt(descending: true), viewerAccountId: nil,
            includeHeld: false)
        let comment = try #require(threads.data.first)
        #expect(threads.total == 1)
        #expect(comment.comment.text == "@ronan zergzerg")
        #expect(comment.comment.url == "http://localhost:3000/users/ronan2/statuses/100939547203370948")
        #expect(comment.account?.host == "localhost:3000" && comment.account?.name == "ronan2")
    }
}

extension RemoteIdentity {
    init(url: String, key: RSAKey) {
        self.url = url
        self.key = key
    }
}
