import Foundation
import HerdCore
import HerdFederation
import HerdProcessing
import Hummingbird

/// Outboxes (ActivityPub §5.1): `/accounts/{name}/outbox` and `/video-channels/{name}/outbox`, an
/// `OrderedCollection` of `Announce`s of the actor's public local videos, newest first, ten per page as PeerTube
/// pages them. The instance actor's outbox holds every public local video: an instance that starts following this
/// one reads it to catch up with the videos published before.
public struct OutboxController: Sendable {
    let services: APIServices
    static let pageSize = 10

    public init(services: APIServices) {
        self.services = services
    }

    public func addRoutes(to router: Router<HerdRequestContext>) {
        router.get("/accounts/:name/outbox", use: account)
        router.get("/video-channels/:name/outbox", use: channel)
    }

    @Sendable func account(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let name = try context.parameters.require("name")
        guard let account = try await services.stores.accounts.find(handle: Handle(name: name)) else {
            throw HerdError.notFound("Account not found")
        }
        var query = VideoQuery(isLocal: true)
        if name != ActorURLs.instanceActorName { query.accountId = account.id }
        return try await respond(request, actor: services.localActors.urls.account(name), query: query)
    }

    @Sendable func channel(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let name = try context.parameters.require("name")
        guard let channel = try await services.stores.channels.find(handle: Handle(name: name)) else {
            throw HerdError.notFound("Video channel not found")
        }
        return try await respond(
            request, actor: services.localActors.urls.channel(name),
            query: VideoQuery(channelId: channel.channel.id, isLocal: true))
    }

    func respond(_ request: Request, actor: String, query: VideoQuery) async throws -> Response {
        let id = actor + "/outbox"
        var query = query
        guard let pageText = QueryParameters(request.uri.query)["page"] else {
            query.pagination = Pagination(start: 0, count: 0)
            let total = try await services.stores.videos.list(query).total
            return ActivityPubResponse.json([
                "@context": ActivityContext.base, "id": .string(id), "type": "OrderedCollection",
                "totalItems": JSONValue(total), "first": .string(id + "?page=1"),
            ])
        }
        guard let page = Int(pageText), page >= 1, page <= 100_000 else {
            throw HerdError.badRequest("page must be a number from 1")
        }
        query.pagination = Pagination(start: (page - 1) * Self.pageSize, count: Self.pageSize)
        let videos = try await services.stores.videos.list(query)
        let urls = ActivityPubURLs(baseURL: services.settings.baseURL)
        let items: [JSONValue] = videos.data.map { item in
            let video = urls.video(item.video)
            return [
                "type": "Announce", "id": .string(video + "/announces/outbox"), "actor": .string(actor),
                "object": .string(video), "to": [.string(ActivityContext.publicAudience)],
            ]
        }
        var body: [String: JSONValue] = [
            "@context": ActivityContext.base, "id": .string("\(id)?page=\(page)"), "type": "OrderedCollectionPage",
            "partOf": .string(id), "totalItems": JSONValue(videos.total), "orderedItems": .array(items),
        ]
        if page * Self.pageSize < videos.total { body["next"] = .string("\(id)?page=\(page + 1)") }
        return ActivityPubResponse.json(.object(body))
    }
}
