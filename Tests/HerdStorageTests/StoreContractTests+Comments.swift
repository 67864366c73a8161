import Foundation
import HerdCore
import Testing

/// Comments and reports, against every backend (issue 17).
@Suite("Store contract: comments and reports")
struct CommentStoreContractTests {
    @Test(
        "comments: threads with reply counts, held ones shown to their author and the owner, soft delete, edits",
        arguments: Backend.allCases)
    func comments(backend: Backend) async throws {
        let (stores, cleanup) = try await backend.makeStores()
        defer { cleanup() }
        let alice = try await stores.users.create(StoreContractTests.newUser("alice"))
        let bob = try await stores.users.create(StoreContractTests.newUser("bob"))
        let video = try await stores.videos.create(NewVideo(channelId: alice.channels[0].id, name: "talk"))
        let (a, b) = (alice.account.id, bob.account.id)

        let root = try await stores.comments.create(NewComment(videoId: video.id, accountId: b, text: "first"))
        #expect(root.isRoot && root.threadId == root.id && root.accountId == b)
        let reply = try await stores.comments.create(
            NewComment(videoId: video.id, inReplyTo: root, accountId: a, text: "a reply"))
        #expect(reply.threadId == root.id && reply.inReplyToCommentId == root.id)
        #expect(try await stores.comments.parent(of: reply) == root)
        let remote = try await stores.comments.create(
            NewComment(
                url: "https://b.example/comments/1", videoId: video.id, accountId: b, text: "held", heldForReview: true)
        )
        #expect(try await stores.comments.find(url: "https://b.example/comments/1")?.comment.id == remote.id)

        // Held comments: hidden from others, shown to their author, and to the owner with includeHeld.
        func roots(viewer: Int64?, includeHeld: Bool = false) async throws -> [Int64] {
            try await stores.comments.threads(
                videoId: video.id, pagination: Pagination(), sort: .createdAt(descending: false),
                viewerAccountId: viewer, includeHeld: includeHeld
            ).data.map(\.comment.id)
        }
        #expect(try await roots(viewer: nil) == [root.id])
        #expect(try await roots(viewer: b) == [root.id, remote.id])
        #expect(try await roots(viewer: a, includeHeld: true) == [root.id, remote.id])
        #expect(try await stores.comments.countVisible(videoId: video.id) == 2)
        try await stores.comments.approve(id: remote.id)
        #expect(try await roots(viewer: nil) == [root.id, remote.id])
        let byReplies = try await stores.comments.threads(
            videoId: video.id, pagination: Pagination(), sort: .totalReplies(descending: true), viewerAccountId: nil,
            includeHeld: false)
        #expect(byReplies.data.first?.comment.id == root.id && byReplies.data.first?.totalReplies == 1)

        // A thread oldest first; an edit; a soft delete keeps the place, drops the text and the count.
        #expect(
            try await stores.comments.thread(id: root.id, viewerAccountId: nil, includeHeld: false).map(\.comment.id)
                == [root.id, reply.id])
        let now = Date()
        try await stores.comments.updateText(id: remote.id, text: "edited", at: now)
        #expect(try await stores.comments.find(id: remote.id)?.comment.text == "edited")
        try await stores.comments.markDeleted(id: root.id, at: now)
        let deleted = try #require(try await stores.comments.find(id: root.id))
        #expect(deleted.comment.isDeleted)
        #expect(try await stores.comments.thread(id: root.id, viewerAccountId: nil, includeHeld: false).count == 2)
        #expect(try await stores.comments.countVisible(videoId: video.id) == 2)
        #expect(try await stores.comments.find(id: 9999) == nil)
    }

    @Test("reports: filed, newest first, a remote Flag seen before not filed twice", arguments: Backend.allCases)
    func abuses(backend: Backend) async throws {
        let (stores, cleanup) = try await backend.makeStores()
        defer { cleanup() }
        let alice = try await stores.users.create(StoreContractTests.newUser("alice"))
        let video = try await stores.videos.create(NewVideo(channelId: alice.channels[0].id, name: "talk"))
        let first = try await stores.abuses.create(
            NewAbuse(reporterAccountId: alice.account.id, videoId: video.id, reason: "spam"))
        #expect(first.state == .pending && first.videoId == video.id && first.reason == "spam")
        let flag = NewAbuse(
            url: "https://b.example/flags/1", reporterAccountId: alice.account.id, flaggedAccountId: alice.account.id,
            reason: "remote")
        let remote = try await stores.abuses.create(flag)
        #expect(try await stores.abuses.create(flag).id == remote.id)
        let page = try await stores.abuses.list(pagination: Pagination())
        #expect(page.total == 2 && page.data.map(\.id) == [remote.id, first.id])
    }
}
