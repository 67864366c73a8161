import HerdCore
import HerdFederation

/// The ActivityPub documents this instance serves: its actors (accounts, channels, the instance actor), public
/// videos, local comments (for instances checking a forwarded one at its source), rating counts, outboxes, and the
/// figures of WebFinger and NodeInfo.
public final class ActivityPubDocuments: Sendable {
    let stores: Stores
    let actors: LocalActors

    public init(stores: Stores, actors: LocalActors) {
        self.stores = stores
        self.actors = actors
    }

    var urls: ActivityPubURLs { ActivityPubURLs(baseURL: actors.urls.baseURL) }

    public func account(named name: String) async throws -> (document: ActorDocument, title: String) {
        guard let account = try await stores.accounts.find(handle: Handle(name: name)) else {
            throw HerdError.notFound("Account not found")
        }
        return (try await actors.document(for: account), account.displayName)
    }

    public func channel(named name: String) async throws -> (document: ActorDocument, title: String) {
        guard let channel = try await stores.channels.find(handle: Handle(name: name)) else {
            throw HerdError.notFound("Video channel not found")
        }
        return (try await actors.document(for: channel), channel.channel.displayName)
    }

    /// A local actor's URL by name (WebFinger).
    public func actorURL(named name: String) async throws -> String? { try await actors.url(named: name) }

    /// The `Video` object of a public or unlisted local video that is published.
    public func video(_ reference: VideoReference) async throws -> (object: JSONValue, video: Video) {
        guard let found = try await stores.videos.find(reference), found.channel.isLocal,
            found.video.state == .published, found.video.privacy == .public || found.video.privacy == .unlisted
        else { throw HerdError.notFound("Video not found") }
        let files = try await stores.videoFiles.list(videoId: found.video.id)
        return (VideoActivityPub.object(found, files: files, baseURL: actors.urls.baseURL), found.video)
    }

    /// A local comment as a `Note` (a `Tombstone` once deleted); held comments are not served.
    public func comment(_ id: Int64, on reference: VideoReference) async throws
        -> (note: JSONValue, video: Video, text: String)
    {
        guard let video = try await stores.videos.find(reference),
            VideoFederation.federates(video.video) || !video.video.isLocal,
            let found = try await stores.comments.find(id: id), found.comment.videoId == video.video.id,
            found.comment.url == nil, !found.comment.heldForReview, let author = found.account
        else { throw HerdError.notFound("Video comment not found") }
        let parent = try await stores.comments.parent(of: found.comment)
        let note = CommentActivityPub.note(
            found.comment, author: author, video: video.video, parent: parent, urls: urls)
        return (note, video.video, found.comment.text)
    }

    /// `…/likes` or `…/dislikes` of a federated video: the count as an `OrderedCollection`, which instances that
    /// hold the video read after each `Create` or `Update` of it (as PeerTube syncs a remote video's ratings).
    public func ratings(_ rating: VideoRating, of reference: VideoReference) async throws -> JSONValue {
        guard let found = try await stores.videos.find(reference), VideoFederation.federates(found.video) else {
            throw HerdError.notFound("Video not found")
        }
        return [
            "@context": ActivityContext.base, "type": "OrderedCollection",
            "id": .string(urls.video(found.video) + (rating == .like ? "/likes" : "/dislikes")),
            "totalItems": JSONValue(rating == .like ? found.video.likes : found.video.dislikes),
        ]
    }

    /// The outbox: an `OrderedCollection` of `Announce`s of the actor's public local videos, newest first, ten per
    /// page as PeerTube pages them; `page` nil for the collection itself. An instance that starts following this
    /// one reads the instance actor's to catch up with the videos published before.
    public func outbox(of owner: LocalActor, page: Int?) async throws -> JSONValue {
        var query = VideoQuery(isLocal: true)
        let actor: String
        switch owner {
        case .account(let name):
            guard let account = try await stores.accounts.find(handle: Handle(name: name)) else {
                throw HerdError.notFound("Account not found")
            }
            if name != ActorURLs.instanceActorName { query.accountId = account.id }
            actor = actors.urls.account(name)
        case .channel(let name):
            guard let channel = try await stores.channels.find(handle: Handle(name: name)) else {
                throw HerdError.notFound("Video channel not found")
            }
            query.channelId = channel.channel.id
            actor = actors.urls.channel(name)
        }
        return try await Self.orderedCollection(id: actor + "/outbox", page: page) { pagination in
            query.pagination = pagination
            let videos = try await stores.videos.list(query)
            return Page(
                total: videos.total,
                data: videos.data.map { item in
                    let video = urls.video(item.video)
                    return [
                        "type": "Announce", "id": .string(video + "/announces/outbox"), "actor": .string(actor),
                        "object": .string(video), "to": [.string(ActivityContext.publicAudience)],
                    ]
                })
        }
    }

    /// NodeInfo's usage: users and local videos.
    public func usage() async throws -> (users: Int, localVideos: Int) {
        var query = VideoQuery(pagination: Pagination(start: 0, count: 1))
        query.isLocal = true
        return (try await stores.users.count(), try await stores.videos.list(query).total)
    }
}
