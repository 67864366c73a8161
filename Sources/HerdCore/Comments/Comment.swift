import Foundation

/// A comment on a video (an ActivityPub `Note`), local or from another instance or Mastodon. A thread is a root
/// comment (replying to the video) and every reply below it; `threadId` is the root's id.
public struct Comment: Sendable, Equatable {
    public var id: Int64
    /// The `Note`'s id for remote comments; nil for local ones (theirs is derived from the video and id).
    public var url: String?
    public var videoId: Int64
    public var threadId: Int64
    public var inReplyToCommentId: Int64?
    /// nil once the author is gone.
    public var accountId: Int64?
    /// Plain text (remote HTML is reduced to text when received); empty once deleted.
    public var text: String
    /// Waiting for the video owner's approval (`commentsPolicy` requires approval).
    public var heldForReview: Bool
    public var createdAt: Date
    public var updatedAt: Date
    public var deletedAt: Date?

    public init(
        id: Int64, url: String?, videoId: Int64, threadId: Int64, inReplyToCommentId: Int64?, accountId: Int64?,
        text: String, heldForReview: Bool, createdAt: Date, updatedAt: Date, deletedAt: Date?
    ) {
        self.id = id
        self.url = url
        self.videoId = videoId
        self.threadId = threadId
        self.inReplyToCommentId = inReplyToCommentId
        self.accountId = accountId
        self.text = text
        self.heldForReview = heldForReview
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.deletedAt = deletedAt
    }

    public var isDeleted: Bool { deletedAt != nil }
    public var isRoot: Bool { inReplyToCommentId == nil }
}

/// A comment with its author, as lists show it, and (for thread roots) how many replies it has.
public struct CommentWithAuthor: Sendable, Equatable {
    public var comment: Comment
    public var account: Account?
    public var totalReplies: Int

    public init(comment: Comment, account: Account?, totalReplies: Int = 0) {
        self.comment = comment
        self.account = account
        self.totalReplies = totalReplies
    }
}

/// What is needed to add a comment.
public struct NewComment: Sendable {
    public var url: String?
    public var videoId: Int64
    /// The comment replied to; nil starts a thread.
    public var inReplyTo: Comment?
    public var accountId: Int64
    public var text: String
    public var heldForReview: Bool
    public var createdAt: Date?

    public init(
        url: String? = nil, videoId: Int64, inReplyTo: Comment? = nil, accountId: Int64, text: String,
        heldForReview: Bool = false, createdAt: Date? = nil
    ) {
        self.url = url
        self.videoId = videoId
        self.inReplyTo = inReplyTo
        self.accountId = accountId
        self.text = text
        self.heldForReview = heldForReview
        self.createdAt = createdAt
    }
}

/// Thread list orders: PeerTube's `createdAt` and `totalReplies`, `-` for descending.
public enum CommentSort: Sendable, Equatable {
    case createdAt(descending: Bool)
    case totalReplies(descending: Bool)

    public init(query: String?) throws {
        switch query ?? "-createdAt" {
        case "createdAt": self = .createdAt(descending: false)
        case "-createdAt": self = .createdAt(descending: true)
        case "totalReplies": self = .totalReplies(descending: false)
        case "-totalReplies": self = .totalReplies(descending: true)
        default: throw HerdError.badRequest("sort must be createdAt or totalReplies, optionally prefixed with -")
        }
    }
}

/// Persistence of comments.
public protocol CommentStore: Sendable {
    func create(_ comment: NewComment) async throws -> Comment
    func find(id: Int64) async throws -> CommentWithAuthor?
    /// A remote comment by its `Note` id.
    func find(url: String) async throws -> CommentWithAuthor?
    /// Thread roots of a video with their reply counts. Held comments are listed only for `viewerAccountId`'s own
    /// and, when `includeHeld`, all of them (the video's owner).
    func threads(videoId: Int64, pagination: Pagination, sort: CommentSort, viewerAccountId: Int64?, includeHeld: Bool)
        async throws -> Page<CommentWithAuthor>
    /// Every comment of a thread, oldest first.
    func thread(id: Int64, viewerAccountId: Int64?, includeHeld: Bool) async throws -> [CommentWithAuthor]
    /// A video's comments that are not held, oldest first, as its ActivityPub `comments` collection lists them: each
    /// one's id and own URL (nil for local ones). Deleted ones stay (their URL answers a `Tombstone`).
    func links(videoId: Int64, start: Int, count: Int) async throws -> Page<CommentLink>
    /// Comments of a video not deleted (and not held).
    func countVisible(videoId: Int64) async throws -> Int
    /// Soft delete: the text goes, the place in the thread stays.
    func markDeleted(id: Int64, at date: Date) async throws
    func approve(id: Int64) async throws
    /// A new text for a comment (a remote author's edit).
    func updateText(id: Int64, text: String, at date: Date) async throws
}

extension CommentStore {
    /// The comment `comment` replies to; nil for a thread's root.
    public func parent(of comment: Comment) async throws -> Comment? {
        guard let id = comment.inReplyToCommentId else { return nil }
        return try await find(id: id)?.comment
    }
}

/// A comment in its video's collection: its id, and its URL when it came from another instance.
public struct CommentLink: Sendable, Equatable {
    public var id: Int64
    public var url: String?

    public init(id: Int64, url: String?) {
        self.id = id
        self.url = url
    }
}
