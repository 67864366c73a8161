import Foundation
import HerdCore
import HerdFederation

/// Comments from other instances and from Mastodon (`Note`s): threaded under the video or comment they reply to,
/// with their author stored as a remote account. Notes replying to something this instance does not know are
/// ignored.
public final class RemoteComments: Sendable {
    let stores: Stores
    let resolver: RemoteActorResolver
    let fetcher: RemoteDocuments
    let baseURL: String
    let clock: any WallClock

    public init(
        stores: Stores, resolver: RemoteActorResolver, fetcher: RemoteDocuments, baseURL: String, clock: any WallClock
    ) {
        self.stores = stores
        self.resolver = resolver
        self.fetcher = fetcher
        self.baseURL = baseURL
        self.clock = clock
    }

    public struct Saved: Sendable {
        public var comment: Comment
        public var video: VideoWithOwner
    }

    /// What a Note replies to: a video (a new thread) or a comment (a reply in its thread).
    public enum Target: Sendable {
        case video(VideoWithOwner)
        case comment(Comment, VideoWithOwner)
    }

    public func target(_ url: String) async throws -> Target? {
        let base = baseURL + "/videos/watch/"
        if url.hasPrefix(base) {
            let rest = url.dropFirst(base.count).split(separator: "/", omittingEmptySubsequences: false)
            guard let uuid = UUID(uuidString: String(rest[0])), let video = try await stores.videos.find(.uuid(uuid))
            else { return nil }
            if rest.count == 1 { return video.video.isLocal ? .video(video) : nil }
            guard rest.count == 3, rest[1] == "comments", let id = Int64(rest[2]),
                let comment = try await stores.comments.find(id: id), comment.comment.videoId == video.video.id
            else { return nil }
            return .comment(comment.comment, video)
        }
        if let video = try await stores.videos.find(url: url) { return .video(video) }
        if let comment = try await stores.comments.find(url: url),
            let video = try await stores.videos.find(.id(comment.comment.videoId))
        {
            return .comment(comment.comment, video)
        }
        return nil
    }

    /// Stores `note` by `author` (who signed the activity, or whose instance served the note). Returns nil when
    /// it is not for this instance: unknown target, comments disabled, a video that does not federate.
    func save(_ note: JSONValue, author: RemoteActorRecord) async throws -> Saved? {
        guard note.type == "Note", let id = note["id"]?.string, URLParts(id)?.authority == author.host,
            let inReplyTo = note["inReplyTo"]?.id
        else { return nil }
        let attributed = note["attributedTo"]?.list.first?.id ?? author.url
        guard attributed == author.url else {
            throw HerdError.forbidden("the note is attributed to \(attributed), not to \(author.url)")
        }
        if let known = try await stores.comments.find(url: id),
            let video = try await stores.videos.find(.id(known.comment.videoId))
        {
            return Saved(comment: known.comment, video: video)
        }
        guard let target = try await target(inReplyTo) else { return nil }
        let (video, parent): (VideoWithOwner, Comment?) =
            switch target {
            case .video(let video): (video, nil)
            case .comment(let comment, let video): (video, comment)
            }
        if video.video.isLocal {
            guard VideoFederation.federates(video.video), video.video.commentsPolicy != .disabled else { return nil }
        }
        if parent?.isDeleted == true { return nil }
        let text = CommentText.plain(fromHTML: note["content"]?.string ?? "")
        guard !text.isEmpty else { return nil }
        let account = try await stores.federation.saveRemoteAccount(for: author)
        let held = video.video.isLocal && video.video.commentsPolicy == .requiresApproval
        let comment = try await stores.comments.create(
            NewComment(
                url: id, videoId: video.video.id, inReplyTo: parent, accountId: account.id, text: text,
                heldForReview: held, createdAt: note["published"]?.string.flatMap(ISODate.parse)))
        return Saved(comment: comment, video: video)
    }

    /// A forwarded comment: fetched from its author's instance, which must serve it as `author`'s.
    func fetchAndSave(_ url: String, author actorURL: String) async throws -> Saved? {
        if let known = try await stores.comments.find(url: url),
            let video = try await stores.videos.find(.id(known.comment.videoId))
        {
            return Saved(comment: known.comment, video: video)
        }
        guard fetcher.enabled else { return nil }
        let note = try await fetcher.signedFetch(url)
        guard note["id"]?.string == url else { throw HerdError.badRequest("\(url) served another object") }
        return try await save(note, author: try await resolver.actor(actorURL))
    }

    /// `Delete` of a comment by its author: soft-deleted. Returns its video when it was deleted now.
    func delete(_ url: String, author: String) async throws -> VideoWithOwner? {
        guard let found = try await stores.comments.find(url: url), found.account?.url == author,
            !found.comment.isDeleted
        else { return nil }
        try await stores.comments.markDeleted(id: found.comment.id, at: clock.now())
        return try await stores.videos.find(.id(found.comment.videoId))
    }

    /// A forwarded `Delete`: believed when the author's instance answers 404 or 410 (or a Tombstone) for it.
    func deleteIfGone(_ url: String, author: String) async throws -> VideoWithOwner? {
        guard fetcher.enabled, try await stores.comments.find(url: url) != nil else { return nil }
        do {
            let document = try await fetcher.signedFetch(url)
            guard document.type == "Tombstone" else { return nil }
        } catch is FetchedObjectGone {
        }
        return try await delete(url, author: author)
    }
}
