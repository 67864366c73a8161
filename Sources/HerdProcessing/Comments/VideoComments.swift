import Foundation
import HerdCore

/// Comment threads of a video: list, read a thread, start a thread, reply, delete (soft: the text goes, replies keep
/// their place), and approve a held comment. The video's `commentsPolicy` applies: disabled refuses new comments
/// (409), requires-approval holds them for the owner. Each new or deleted comment is sent to the instances that
/// should know (`CommentFederation`).
public final class VideoComments: Sendable {
    let stores: Stores
    let federation: CommentFederation
    let clock: any WallClock

    public init(stores: Stores, federation: CommentFederation, clock: any WallClock) {
        self.stores = stores
        self.federation = federation
        self.clock = clock
    }

    /// Whether the viewer sees every held comment of the video: its owner, or staff.
    func seesHeld(_ video: VideoWithOwner, _ viewer: Viewer) -> Bool {
        guard let user = viewer.user else { return false }
        return user.role.isStaff || user.id == video.account.userId
    }

    func accountId(of viewer: Viewer) async throws -> Int64? {
        guard let user = viewer.user else { return nil }
        return try await stores.accounts.find(userId: user.id)?.id
    }

    /// A page of threads, with the count of comments not deleted.
    public func threads(of video: VideoWithOwner, viewer: Viewer, pagination: Pagination, sort: CommentSort)
        async throws -> (page: Page<CommentWithAuthor>, notDeleted: Int)
    {
        let page = try await stores.comments.threads(
            videoId: video.video.id, pagination: pagination, sort: sort,
            viewerAccountId: try await accountId(of: viewer), includeHeld: seesHeld(video, viewer))
        return (page, try await stores.comments.countVisible(videoId: video.video.id))
    }

    /// A thread: its root first, then every reply the viewer may see.
    public func thread(_ id: Int64, of video: VideoWithOwner, viewer: Viewer) async throws -> [CommentWithAuthor] {
        guard let root = try await stores.comments.find(id: id), root.comment.videoId == video.video.id,
            root.comment.isRoot
        else { throw HerdError.notFound("Video comment thread not found") }
        let comments = try await stores.comments.thread(
            id: id, viewerAccountId: try await accountId(of: viewer), includeHeld: seesHeld(video, viewer))
        var top = root
        top.totalReplies = comments.count - 1
        return [top] + comments.filter { !$0.comment.isRoot }
    }

    /// A new comment by `user`, starting a thread or replying to `parentId`.
    public func add(_ text: String, to video: VideoWithOwner, replyingTo parentId: Int64?, by user: User)
        async throws -> CommentWithAuthor
    {
        var parent: Comment?
        if let parentId {
            guard let found = try await stores.comments.find(id: parentId), found.comment.videoId == video.video.id,
                !found.comment.isDeleted
            else { throw HerdError.notFound("Video comment not found") }
            parent = found.comment
        }
        let isOwner = user.id == video.account.userId
        if video.video.commentsPolicy == .disabled, !isOwner { throw HerdError.conflict("Video comments are disabled") }
        let account = try await stores.accounts.account(of: user)
        let held = video.video.commentsPolicy == .requiresApproval && !isOwner && !user.role.isStaff
        // The comment and its `Create` deliveries commit together.
        let comment = try await stores.transaction { [parent] in
            let comment = try await self.stores.comments.create(
                NewComment(
                    videoId: video.video.id, inReplyTo: parent, accountId: account.id, text: text, heldForReview: held))
            if !held { try await self.federation.created(comment, author: account, video: video, parent: parent) }
            return comment
        }
        return CommentWithAuthor(comment: comment, account: account)
    }

    func find(_ id: Int64, of video: VideoWithOwner) async throws -> CommentWithAuthor {
        guard let found = try await stores.comments.find(id: id), found.comment.videoId == video.video.id else {
            throw HerdError.notFound("Video comment not found")
        }
        return found
    }

    /// Deletes a comment: by its author, the video's owner or staff.
    public func delete(_ id: Int64, of video: VideoWithOwner, by user: User) async throws {
        let found = try await find(id, of: video)
        let isAuthor = found.account?.userId == user.id && found.account?.userId != nil
        guard isAuthor || user.id == video.account.userId || user.role.isStaff else {
            throw HerdError.forbidden("Cannot remove a comment of another user")
        }
        guard !found.comment.isDeleted else { return }
        let now = clock.now()
        try await stores.transaction {
            try await self.stores.comments.markDeleted(id: id, at: now)
            if !found.comment.heldForReview, let author = found.account {
                let parent = try await self.stores.comments.parent(of: found.comment)
                try await self.federation.deleted(found.comment, author: author, video: video, parent: parent)
            }
        }
    }

    /// Approves a held comment: by the video's owner or staff. It federates then.
    public func approve(_ id: Int64, of video: VideoWithOwner, by user: User) async throws {
        guard user.id == video.account.userId || user.role.isStaff else {
            throw HerdError.forbidden("Only the video's owner approves its comments")
        }
        let found = try await find(id, of: video)
        guard found.comment.heldForReview else { return }
        try await stores.transaction {
            try await self.stores.comments.approve(id: id)
            if let author = found.account {
                let parent = try await self.stores.comments.parent(of: found.comment)
                var approved = found.comment
                approved.heldForReview = false
                try await self.federation.created(approved, author: author, video: video, parent: parent)
            }
        }
    }
}
