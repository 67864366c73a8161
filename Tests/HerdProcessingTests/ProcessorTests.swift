import Foundation
import HerdCore
import HerdFederation
import HerdProcessing
import Testing

/// Processors on real SQLite and media folders, no HTTP (issue 17: tests follow the rooms).
@Suite("Processors")
struct ProcessorTests {
    @Test("comments: a disabled policy refuses others (409), approval-required holds them until the owner approves")
    func commentPolicies() async throws {
        let harness = try await ProcessingHarness()
        defer { harness.remove() }
        let (owner, viewer) = (try await harness.user("owner"), try await harness.user("viewer"))
        let comments = harness.processing.comments
        let closed = try await harness.video(of: owner, "closed", comments: .disabled)
        await #expect {
            _ = try await comments.add("hello", to: closed, replyingTo: nil, by: viewer.user)
        } throws: { ($0 as? HerdError)?.kind == .conflict }
        _ = try await comments.add("mine", to: closed, replyingTo: nil, by: owner.user)

        let moderated = try await harness.video(of: owner, "moderated", comments: .requiresApproval)
        let held = try await comments.add("please", to: moderated, replyingTo: nil, by: viewer.user)
        #expect(held.comment.heldForReview)
        let anonymous = try await comments.threads(
            of: moderated, viewer: Viewer(user: nil), pagination: Pagination(count: 10),
            sort: .createdAt(descending: true))
        #expect(anonymous.page.total == 0)
        await #expect {
            try await comments.approve(held.comment.id, of: moderated, by: viewer.user)
        } throws: { ($0 as? HerdError)?.kind == .forbidden }
        try await comments.approve(held.comment.id, of: moderated, by: owner.user)
        let afterwards = try await comments.threads(
            of: moderated, viewer: Viewer(user: nil), pagination: Pagination(count: 10),
            sort: .createdAt(descending: true))
        #expect(afterwards.page.data.map(\.comment.text) == ["please"])
    }

    @Test("following an instance records a pending follow and queues one signed Follow for its inbox")
    func followInstance() async throws {
        let harness = try await ProcessingHarness()
        defer { harness.remove() }
        let remote = try harness.fediverse.instance("remote.example")
        try await harness.processing.instanceFollows.follow(hosts: ["remote.example"])
        let listed = try await harness.processing.instanceFollows.list(
            following: true, pagination: Pagination(count: 10))
        #expect(listed.data.map(\.follow.following) == [remote])
        #expect(listed.data.first?.follow.state == .pending)
        let jobs = try await harness.processing.stores.jobs.list(
            state: .pending, kind: DeliverActivityPayload.kind.rawValue, pagination: Pagination(count: 10))
        let delivery = try DeliverActivityPayload(of: try #require(jobs.data.first))
        #expect(jobs.total == 1)
        #expect(delivery.inbox == remote + "/inbox")
        #expect(try JSONValue.parse(Array(delivery.activity.utf8)).type == "Follow")
        // An instance cannot follow itself, nor a name that is not a host.
        for bad in ["localhost", "a/b", ""] {
            await #expect(throws: HerdError.self) { try await harness.processing.instanceFollows.follow(hosts: [bad]) }
        }
    }

    @Test("removing a video deletes every media file it owns, in every kind, and nothing of another video")
    func removal() async throws {
        let harness = try await ProcessingHarness()
        defer { harness.remove() }
        let owner = try await harness.user("owner")
        let (gone, kept) = (try await harness.video(of: owner, "gone"), try await harness.video(of: owner, "kept"))
        let media = harness.processing.media
        for item in [gone, kept] {
            let id = item.video.uuid.lowercasedString
            try await media.write(.originals, id + ".mp4", bytes: [1])
            try await media.write(.privateWebVideos, id + "-720.mp4", bytes: [2])
            try await media.write(.hls, id + "/" + id + "-master.m3u8", bytes: [3])
            try await media.write(.thumbnails, id + ".jpg", bytes: [4])
            try await media.write(.torrents, id + "-720-hls.torrent", bytes: [5])
        }
        try await harness.processing.videoRemoval.remove(gone.video)
        let (goneID, keptID) = (gone.video.uuid.lowercasedString, kept.video.uuid.lowercasedString)
        for kind in MediaKind.allCases {
            #expect(try await media.keys(kind).allSatisfy { !$0.hasPrefix(goneID) }, "\(kind)")
        }
        #expect(await media.exists(.hls, keptID))
        #expect(await media.exists(.originals, keptID + ".mp4"))
        #expect(try await harness.processing.stores.videos.find(.id(gone.video.id)) == nil)
    }

    @Test("the local media store refuses keys that leave their folder")
    func mediaKeys() async throws {
        let harness = try await ProcessingHarness()
        defer { harness.remove() }
        let media = harness.processing.media
        for key in ["../herd.sqlite", "/etc/passwd", "a/../../b", "./x", ""] {
            await #expect(throws: HerdError.self) { try await media.write(.thumbnails, key, bytes: [0]) }
            await #expect(throws: HerdError.self) { try await media.delete(.hls, key) }
            #expect(media.localPath(.previews, key) == nil)
        }
    }
}

@Suite("Video locks")
struct VideoLockTests {
    @Test("a second writer of the same video waits for the first; another video's does not")
    func serializes() async throws {
        let locks = VideoLocks()
        let (entered, enter) = AsyncStream<String>.makeStream()
        let (gate, open) = AsyncStream<Void>.makeStream()
        let first = Task {
            try await locks.with(1) {
                enter.yield("first")
                for await _ in gate { break }  // holds the lock until the test opens the gate
                enter.yield("first done")
            }
        }
        var events = entered.makeAsyncIterator()
        #expect(await events.next() == "first")
        let second = Task { try await locks.with(1) { enter.yield("second") } }
        let other = Task { try await locks.with(2) { enter.yield("other") } }
        #expect(await events.next() == "other")  // video 2 is not held up by video 1
        open.yield()
        #expect(await events.next() == "first done")
        #expect(await events.next() == "second")
        try await first.value
        _ = try await second.value
        _ = try await other.value
    }
}
