import Foundation
import HerdCore
import HerdFederation

/// Reports (PeerTube's abuses) by users about a video, a comment or an account, listed for moderators. A report
/// about remote content is also sent to its instance as a `Flag` from the instance actor (the reporter stays
/// anonymous there, as PeerTube does).
public final class Abuses: Sendable {
    let stores: Stores
    let federation: VideoFederation
    let outbox: Outbox

    public init(stores: Stores, federation: VideoFederation, outbox: Outbox) {
        self.stores = stores
        self.federation = federation
        self.outbox = outbox
    }

    var actors: LocalActors { federation.actors }

    /// What a report is about: exactly one of these.
    public enum Target: Sendable {
        case video(Int64)
        case comment(Int64)
        case account(Int64)
    }

    /// Files `user`'s report about one of `targets` (exactly one); returns its id.
    public func report(_ targets: [Target], reason: String, by user: User) async throws -> Int64 {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (2...Abuse.maxReasonLength).contains(reason.count) else {
            throw HerdError.badRequest("reason must hold 2 to \(Abuse.maxReasonLength) characters")
        }
        guard targets.count == 1, let target = targets.first else {
            throw HerdError.badRequest("report exactly one of video, comment or account")
        }
        let reporter = try await stores.accounts.account(of: user)
        let viewer = Viewer(user: user)
        let urls = ActivityPubURLs(baseURL: actors.urls.baseURL)
        var new = NewAbuse(reporterAccountId: reporter.id, reason: reason)
        var remote: (url: String, origin: VideoWithOwner?, account: Account?)?
        switch target {
        case .video(let id):
            guard let video = try await stores.videos.find(.id(id)),
                VideoVisibility.canView(video.video, ownerUserId: video.account.userId, viewer: viewer)
            else { throw HerdError.notFound("Video not found") }
            new.videoId = video.video.id
            if !video.video.isLocal { remote = (urls.video(video.video), video, nil) }
        case .comment(let id):
            guard let comment = try await stores.comments.find(id: id),
                let video = try await stores.videos.find(.id(comment.comment.videoId)),
                VideoVisibility.canView(video.video, ownerUserId: video.account.userId, viewer: viewer)
            else { throw HerdError.notFound("Video comment not found") }
            new.commentId = comment.comment.id
            if let url = comment.comment.url { remote = (url, nil, comment.account) }
        case .account(let id):
            guard let account = try await stores.accounts.find(id: id) else {
                throw HerdError.notFound("Account not found")
            }
            new.flaggedAccountId = account.id
            if let url = account.url { remote = (url, nil, account) }
        }
        let abuse = try await stores.abuses.create(new)
        if let remote, federation.enabled {
            try await flag(remote.url, reason: reason, abuseId: abuse.id, video: remote.origin, author: remote.account)
        }
        return abuse.id
    }

    /// `Flag` to the instance that holds the content.
    func flag(_ url: String, reason: String, abuseId: Int64, video: VideoWithOwner?, author: Account?) async throws {
        var inbox: String?
        if let video {
            inbox = try await federation.audience(video).first
        } else if let authorURL = author?.url {
            inbox = try await stores.federation.remoteActor(url: authorURL)?.deliveryInbox
        }
        guard let inbox else { return }
        let instance = try await actors.instanceAccount()
        let activity = Activities.flag(
            id: "\(actors.urls.baseURL)/admin/abuses/\(abuseId)", actor: actors.urls.instanceActor, object: url,
            content: reason)
        try await outbox.send(activity, to: [inbox], from: .account(instance.id))
    }

    /// A report with what it names, as far as it still exists.
    public struct Listed: Sendable {
        public var abuse: Abuse
        public var reporter: Account?
        public var video: Video?
        public var comment: Comment?
        public var flaggedAccount: Account?
    }

    public func list(pagination: Pagination) async throws -> Page<Listed> {
        let page = try await stores.abuses.list(pagination: pagination)
        var data: [Listed] = []
        for abuse in page.data {
            func account(_ id: Int64?) async throws -> Account? {
                guard let id else { return nil }
                return try await stores.accounts.find(id: id)
            }
            var video: Video?
            if let id = abuse.videoId { video = try await stores.videos.find(.id(id))?.video }
            var comment: Comment?
            if let id = abuse.commentId { comment = try await stores.comments.find(id: id)?.comment }
            data.append(
                Listed(
                    abuse: abuse, reporter: try await account(abuse.reporterAccountId), video: video,
                    comment: comment, flaggedAccount: try await account(abuse.flaggedAccountId)))
        }
        return Page(total: page.total, data: data)
    }
}
