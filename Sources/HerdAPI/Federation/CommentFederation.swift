import Foundation
import HerdCore
import HerdFederation
import HerdProcessing

/// Sends local comments where they belong: `Create`/`Delete` of a `Note`, signed by its author, to the followers
/// of a local video's instance, account and channel, or to the origin of a remote video (which stores it and
/// forwards it to its own followers, see `forward`). A reply to a remote author also goes to that author's inbox.
struct CommentFederation: Sendable {
    let services: APIServices

    var enabled: Bool { services.settings.federation.enabled }
    var urls: ActivityPubURLs { ActivityPubURLs(baseURL: services.settings.baseURL) }
    var actors: LocalActors { services.localActors }

    func created(_ comment: Comment, author: Account, video: VideoWithOwner, parent: Comment?) async throws {
        guard enabled, author.isLocal, shared(video.video) else { return }
        let note = CommentActivityPub.note(comment, author: author, video: video.video, parent: parent, urls: urls)
        let id = (note["id"]?.string ?? "") + "/activity"
        let activity = Activities.wrap(.create, id: id, actor: urls.account(author), object: note)
        try await send(activity, video: video, parent: parent, from: author)
    }

    func deleted(_ comment: Comment, author: Account, video: VideoWithOwner, parent: Comment?) async throws {
        guard enabled, author.isLocal, shared(video.video) else { return }
        let activity = Activities.delete(object: urls.comment(comment, video: video.video), actor: urls.account(author))
        try await send(activity, video: video, parent: parent, from: author)
    }

    /// Comments on local videos federate when the video does; on remote videos, always (to their origin).
    func shared(_ video: Video) -> Bool { !video.isLocal || VideoFederation.federates(video) }

    func send(_ activity: JSONValue, video: VideoWithOwner, parent: Comment?, from author: Account) async throws {
        var inboxes = try await VideoFederation(services: services).audience(video)
        if let parent, let parentAuthor = parent.accountId,
            let account = try await services.stores.accounts.find(id: parentAuthor),
            let url = account.url, let actor = try await services.stores.federation.remoteActor(url: url)
        {
            inboxes.append(actor.deliveryInbox)
        }
        guard !inboxes.isEmpty else { return }
        try await Outbox(stores: services.stores, clock: services.clock)
            .send(activity, to: inboxes, from: .account(author.id))
    }

    /// The origin's part: an activity about a local video that came from another instance (a remote comment, its
    /// deletion) goes on to the video's followers, except the instance it came from, signed by the instance actor.
    /// Receivers check it by fetching the object from its author's instance (the signer is not its author).
    func forward(_ activity: JSONValue, video: VideoWithOwner, from host: String) async throws {
        guard enabled, video.video.isLocal, VideoFederation.federates(video.video) else { return }
        let inboxes = try await VideoFederation(services: services).audience(video).filter {
            URLParts($0)?.authority != host
        }
        guard !inboxes.isEmpty else { return }
        let instance = try await actors.instanceAccount()
        try await Outbox(stores: services.stores, clock: services.clock)
            .send(activity, to: inboxes, from: .account(instance.id))
    }
}
