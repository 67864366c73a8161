import HerdCore
import HerdFederation

/// The collections a local actor or video names in its document (ActivityPub §5): who follows the actor and whom it
/// follows (accepted follows only, as PeerTube lists them), its playlists, a video's chapters. Software reading an
/// actor (Mastodon, PeerTube, Misskey) fetches them; none answers 404.
extension ActivityPubDocuments {
    /// Whose collection: an account's (the instance actor `peertube` among them) or a channel's, by name.
    public enum LocalActor: Sendable {
        case account(String)
        case channel(String)
    }

    public enum ActorCollection: String, Sendable, CaseIterable {
        case followers, following, playlists
    }

    /// Items per page, as PeerTube pages its collections.
    public static let collectionPageSize = 10

    /// `<actor>/followers`, `/following` or `/playlists`: the `OrderedCollection`, or its page `page` (from 1) of
    /// actor URLs, newest first. Playlists are empty until there are any.
    public func collection(_ collection: ActorCollection, of owner: LocalActor, page: Int?) async throws -> JSONValue {
        let actor = try await url(of: owner)
        return try await Self.orderedCollection(id: actor + "/" + collection.rawValue, page: page) { pagination in
            let (following, follower): (String?, String?)
            switch collection {
            case .followers: (following, follower) = (actor, nil)
            case .following: (following, follower) = (nil, actor)
            case .playlists: return Page(total: 0, data: [])
            }
            let follows = try await stores.federation.follows(
                following: following, follower: follower, state: .accepted, start: pagination.start,
                count: pagination.count)
            return Page(
                total: follows.total,
                data: follows.data.map { .string(collection == .followers ? $0.follower : $0.following) })
        }
    }

    /// `<video>/chapters`, which a video's `hasParts` names (PeerTube's `Chapters` object): the chapters of a
    /// federated local video, none until videographers can set them.
    public func chapters(of reference: VideoReference) async throws -> JSONValue {
        guard let found = try await stores.videos.find(reference), VideoFederation.federates(found.video) else {
            throw HerdError.notFound("Video not found")
        }
        return [
            "@context": ActivityContext.chapters, "id": .string(urls.video(found.video) + "/chapters"), "hasPart": [],
        ]
    }

    /// `<video>/comments`, which a video's `comments` names: the URLs of its comments that are not held, oldest
    /// first (local ones are at `<video>/comments/<id>`, remote ones at their instance).
    public func comments(of reference: VideoReference, page: Int?) async throws -> JSONValue {
        guard let found = try await stores.videos.find(reference), VideoFederation.federates(found.video) else {
            throw HerdError.notFound("Video not found")
        }
        let video = urls.video(found.video)
        return try await Self.orderedCollection(id: video + "/comments", page: page) { pagination in
            let links = try await stores.comments.links(
                videoId: found.video.id, start: pagination.start, count: pagination.count)
            return Page(total: links.total, data: links.data.map { .string($0.url ?? "\(video)/comments/\($0.id)") })
        }
    }

    /// The URL of a local actor that exists.
    func url(of owner: LocalActor) async throws -> String {
        switch owner {
        case .account(let name):
            guard try await stores.accounts.find(handle: Handle(name: name)) != nil else {
                throw HerdError.notFound("Account not found")
            }
            return actors.urls.account(name)
        case .channel(let name):
            guard try await stores.channels.find(handle: Handle(name: name)) != nil else {
                throw HerdError.notFound("Video channel not found")
            }
            return actors.urls.channel(name)
        }
    }

    /// An `OrderedCollection` (`page` nil: its `totalItems` and `first` page) or one `OrderedCollectionPage` of it
    /// (`partOf`, `orderedItems`, `next` while there are more), `collectionPageSize` items a page.
    static func orderedCollection(
        id: String, page: Int?, items: (Pagination) async throws -> Page<JSONValue>
    ) async throws -> JSONValue {
        guard let page else {
            let total = try await items(Pagination(start: 0, count: 0)).total
            return [
                "@context": ActivityContext.base, "id": .string(id), "type": "OrderedCollection",
                "totalItems": JSONValue(total), "first": .string(id + "?page=1"),
            ]
        }
        guard page >= 1, page <= 100_000 else { throw HerdError.badRequest("page must be a number from 1") }
        let size = collectionPageSize
        let found = try await items(Pagination(start: (page - 1) * size, count: size))
        var body: [String: JSONValue] = [
            "@context": ActivityContext.base, "id": .string("\(id)?page=\(page)"), "type": "OrderedCollectionPage",
            "partOf": .string(id), "totalItems": JSONValue(found.total), "orderedItems": .array(found.data),
        ]
        if page * size < found.total { body["next"] = .string("\(id)?page=\(page + 1)") }
        return .object(body)
    }
}
