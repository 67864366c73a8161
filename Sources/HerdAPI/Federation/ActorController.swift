import HerdCore
import HerdFederation
import HerdProcessing
import Hummingbird

/// Actors at PeerTube's URLs: `/accounts/{name}` (`Person`, or `Application` for the instance actor `peertube`)
/// and `/video-channels/{name}` (`Group`), with the short forms `/a/` and `/c/`. ActivityPub JSON when the
/// `Accept` header asks for it, else a page for browsers.
public struct ActorController: Sendable {
    let services: APIServices
    let actors: LocalActors

    public init(services: APIServices) {
        self.services = services
        self.actors = services.localActors
    }

    public func addRoutes(to router: Router<HerdRequestContext>) {
        for prefix in ["/accounts", "/a"] { router.get("\(prefix)/:name", use: account) }
        for prefix in ["/video-channels", "/c"] { router.get("\(prefix)/:name", use: channel) }
        for prefix in ["/videos/watch", "/w"] { router.get("\(prefix)/:id", use: video) }
        router.get("/videos/watch/:id/comments/:commentId", use: comment)
        router.get("/videos/watch/:id/likes") { request, context in try await rates(request, context, .like) }
        router.get("/videos/watch/:id/dislikes") { request, context in try await rates(request, context, .dislike) }
    }

    /// `…/likes` and `…/dislikes`: the counts as `OrderedCollection`s, which instances that hold the video read
    /// after each `Create` or `Update` of it (as PeerTube syncs a remote video's ratings).
    func rates(_ request: Request, _ context: HerdRequestContext, _ rating: VideoRating) async throws -> Response {
        guard let reference = VideoReference(try context.parameters.require("id")),
            let found = try await services.stores.videos.find(reference), VideoFederation.federates(found.video)
        else { throw HerdError.notFound("Video not found") }
        let url = ActivityPubURLs(baseURL: services.settings.baseURL).video(found.video)
        return ActivityPubResponse.json([
            "@context": ActivityContext.base, "type": "OrderedCollection",
            "id": .string(url + (rating == .like ? "/likes" : "/dislikes")),
            "totalItems": JSONValue(rating == .like ? found.video.likes : found.video.dislikes),
        ])
    }

    /// `/videos/watch/{uuid}/comments/{id}`: a local comment as a `Note` (a `Tombstone` once deleted), so that
    /// instances receiving it forwarded can check it at its source. Held comments are not served.
    @Sendable func comment(_ request: Request, context: HerdRequestContext) async throws -> Response {
        guard let reference = VideoReference(try context.parameters.require("id")),
            let video = try await services.stores.videos.find(reference),
            VideoFederation.federates(video.video)
                || !video.video.isLocal,
            let id = Int64(try context.parameters.require("commentId")),
            let found = try await services.stores.comments.find(id: id), found.comment.videoId == video.video.id,
            found.comment.url == nil, !found.comment.heldForReview, let author = found.account
        else { throw HerdError.notFound("Video comment not found") }
        let parent = try await services.stores.comments.parent(of: found.comment)
        let note = CommentActivityPub.note(
            found.comment, author: author, video: video.video, parent: parent,
            urls: ActivityPubURLs(baseURL: services.settings.baseURL))
        guard ActivityPubResponse.wanted(request) else {
            return ActivityPubResponse.html(
                title: video.video.name, text: found.comment.text, link: note["id"]?.string ?? "")
        }
        return ActivityPubResponse.json(note)
    }

    /// `/videos/watch/{uuid}`: the `Video` object for public and unlisted local videos that are published.
    @Sendable func video(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let text = try context.parameters.require("id")
        // Browsers get the web client's watch page (for any video: its script asks the API, which knows who may see it).
        if !ActivityPubResponse.wanted(request), services.webDirectory != nil {
            return try await WebClient(services: services).videoPage("watch.html", id: text)
        }
        guard let reference = VideoReference(text), let found = try await services.stores.videos.find(reference),
            found.channel.isLocal, found.video.state == .published,
            found.video.privacy == .public || found.video.privacy == .unlisted
        else { throw HerdError.notFound("Video not found") }
        let files = try await services.stores.videoFiles.list(videoId: found.video.id)
        let object = VideoActivityPub.object(found, files: files, baseURL: services.settings.baseURL)
        guard ActivityPubResponse.wanted(request) else {
            return ActivityPubResponse.html(
                title: found.video.name, text: found.video.description ?? "", link: object["id"]?.string ?? "")
        }
        return ActivityPubResponse.json(object)
    }

    @Sendable func account(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let name = try context.parameters.require("name")
        guard let account = try await services.stores.accounts.find(handle: Handle(name: name)) else {
            throw HerdError.notFound("Account not found")
        }
        return try respond(to: request, with: try await actors.document(for: account), title: account.displayName)
    }

    @Sendable func channel(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let name = try context.parameters.require("name")
        guard let channel = try await services.stores.channels.find(handle: Handle(name: name)) else {
            throw HerdError.notFound("Video channel not found")
        }
        return try respond(
            to: request, with: try await actors.document(for: channel), title: channel.channel.displayName)
    }

    /// The actor as ActivityPub JSON when asked for, else a page naming its handle.
    func respond(to request: Request, with document: ActorDocument, title: String) throws -> Response {
        guard ActivityPubResponse.wanted(request) else {
            // Browsers get the web client's channel or account page.
            if services.webDirectory != nil { return try WebClient(services: services).page("channel.html") }
            return ActivityPubResponse.html(
                title: title, text: "@\(document.preferredUsername)@\(services.settings.publicHost)",
                link: document.url)
        }
        return ActivityPubResponse.json(document.json)
    }
}
