import Foundation
import HerdCore
import HerdFederation

/// Sends local comments where they belong: `Create`/`Delete` of a `Note`, signed by its author, to the followers
/// of a local video's instance, account and channel, or to the origin of a remote video (which stores it and
/// forwards it to its own followers, see `forward`). A reply to a remote author also goes to that author's inbox.
public final class CommentFederation: Sendable {
    let stores: Stores
    let videos: VideoFederation
    let actors: LocalActors
    let outbox: Outbox

    public init(stores: Stores, videos: VideoFederation, actors: LocalActors, outbox: Outbox) {
        self.stores = stores
        self.videos = videos
        self.actors = actors
        self.outbox = outbox
    }

    var enabled: Bool { videos.enabled }
    var urls: ActivityPubURLs { ActivityPubURLs(baseURL: actors.urls.baseURL) }

    public func created(_ comment: Comment, author: Account, video: VideoWithOwner, parent: Comment?) async throws {
        guard enabled, author.isLocal, shared(video.video) else { return }
        let note = CommentActivityPub.note(comment, author: author, video: video.video, parent: parent, urls: urls)
        let id = (note["id"]?.string ?? "") + "/activity"
        let activity = Activities.wrap(.create, id: id, actor: urls.account(author), object: note)
        try await send(activity, video: video, parent: parent, from: author)
    }

    public func deleted(_ comment: Comment, author: Account, video: VideoWithOwner, parent: Comment?) async throws {
        guard enabled, author.isLocal, shared(video.video) else { return }
        let activity = Activities.delete(object: urls.comment(comment, video: video.video), actor: urls.account(author))
        try await send(activity, video: video, parent: parent, from: author)
    }

    /// Comments on local videos federate when the video does; on remote videos, always (to their origin).
    func shared(_ video: Video) -> Bool { !video.isLocal || VideoFederation.federates(video) }

    func send(_ activity: JSONValue, video: VideoWithOwner, parent: Comment?, from author: Account) async throws {
        var inboxes = try await videos.audience(video)
        if let parent, let parentAuthor = parent.accountId,
            let account = try await stores.accounts.find(id: parentAuthor),
            let url = account.url, let actor = try await stores.federation.remoteActor(url: url)
        {
            inboxes.append(actor.deliveryInbox)
        }
        guard !inboxes.isEmpty else { return }
        try await outbox.send(activity, to: inboxes, from: .account(author.id))
    }

    /// The origin's part: an activity about a local video that came from another instance (a remote comment, its
    /// deletion, a mirror's copy) goes on to the video's followers, except the instance it came from, signed by the
    /// instance actor. Receivers check it by fetching the object from its author's instance (the signer is not its
    /// author).
    func forward(_ activity: JSONValue, video: VideoWithOwner, from host: String) async throws {
        guard enabled, video.video.isLocal, VideoFederation.federates(video.video) else { return }
        let inboxes = try await videos.audience(video).filter { URLParts($0)?.authority != host }
        guard !inboxes.isEmpty else { return }
        let instance = try await actors.instanceAccount()
        try await outbox.send(activity, to: inboxes, from: .account(instance.id))
    }
}
