import HerdCore
import HerdFederation
import HerdProcessing
import Hummingbird

/// Actors at PeerTube's URLs: `/accounts/{name}` (`Person`, or `Application` for the instance actor `peertube`)
/// and `/video-channels/{name}` (`Group`), with the short forms `/a/` and `/c/`, videos, comments and rating
/// counts (`ActivityPubDocuments`). ActivityPub JSON when the `Accept` header asks for it, else the web client's
/// page (`web`) or a small page for browsers.
struct ActorController: Sendable {
    let documents: ActivityPubDocuments
    /// The browser client's pages, when `Web/` was found.
    let web: WebClient?
    let settings: Settings

    func addRoutes(to router: Router<HerdRequestContext>) {
        for prefix in ["/accounts", "/a"] { router.get("\(prefix)/:name", use: account) }
        for prefix in ["/video-channels", "/c"] { router.get("\(prefix)/:name", use: channel) }
        for prefix in ["/videos/watch", "/w"] { router.get("\(prefix)/:id", use: video) }
        router.get("/videos/watch/:id/comments/:commentId", use: comment)
        router.get("/videos/watch/:id/likes") { request, context in try await rates(request, context, .like) }
        router.get("/videos/watch/:id/dislikes") { request, context in try await rates(request, context, .dislike) }
        router.get("/videos/watch/:id/comments") { request, context in
            let page = try CollectionsController.page(request)
            return ActivityPubResponse.json(
                try await documents.comments(
                    of: try Self.reference(context, missing: "Video not found"), page: page))
        }
        router.get("/videos/watch/:id/chapters") { request, context in
            ActivityPubResponse.json(
                try await documents.chapters(of: try Self.reference(context, missing: "Video not found")))
        }
    }

    static func reference(_ context: HerdRequestContext, missing: String) throws -> VideoReference {
        guard let reference = VideoReference(try context.parameters.require("id")) else {
            throw HerdError.notFound(missing)
        }
        return reference
    }

    func rates(_ request: Request, _ context: HerdRequestContext, _ rating: VideoRating) async throws -> Response {
        ActivityPubResponse.json(
            try await documents.ratings(rating, of: try Self.reference(context, missing: "Video not found")))
    }

    /// `/videos/watch/{uuid}/comments/{id}`: a local comment as a `Note`.
    @Sendable func comment(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let reference = try Self.reference(context, missing: "Video comment not found")
        guard let id = Int64(try context.parameters.require("commentId")) else {
            throw HerdError.notFound("Video comment not found")
        }
        let found = try await documents.comment(id, on: reference)
        guard ActivityPubResponse.wanted(request) else {
            return ActivityPubResponse.html(
                title: found.video.name, text: found.text, link: found.note["id"]?.string ?? "")
        }
        return ActivityPubResponse.json(found.note)
    }

    /// `/videos/watch/{uuid}`: the `Video` object for public and unlisted local videos that are published.
    @Sendable func video(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let text = try context.parameters.require("id")
        // Browsers get the web client's watch page (for any video: its script asks the API, which knows who may see it).
        if !ActivityPubResponse.wanted(request), let web { return try await web.videoPage("watch.html", id: text) }
        guard let reference = VideoReference(text) else { throw HerdError.notFound("Video not found") }
        let found = try await documents.video(reference)
        guard ActivityPubResponse.wanted(request) else {
            return ActivityPubResponse.html(
                title: found.video.name, text: found.video.description ?? "", link: found.object["id"]?.string ?? "")
        }
        return ActivityPubResponse.json(found.object)
    }

    @Sendable func account(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let found = try await documents.account(named: try context.parameters.require("name"))
        return try respond(to: request, with: found.document, title: found.title)
    }

    @Sendable func channel(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let found = try await documents.channel(named: try context.parameters.require("name"))
        return try respond(to: request, with: found.document, title: found.title)
    }

    /// The actor as ActivityPub JSON when asked for, else a page naming its handle.
    func respond(to request: Request, with document: ActorDocument, title: String) throws -> Response {
        guard ActivityPubResponse.wanted(request) else {
            // Browsers get the web client's channel or account page.
            if let web { return try web.page("channel.html") }
            return ActivityPubResponse.html(
                title: title, text: "@\(document.preferredUsername)@\(settings.publicHost)", link: document.url)
        }
        return ActivityPubResponse.json(document.json)
    }
}
