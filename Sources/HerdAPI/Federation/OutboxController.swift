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

/// Catching up with an instance just followed: its instance actor's outbox is read page by page (signed fetches)
/// and every video in it stored, as a `Create` would have. Run as a job (`activitypub-outbox-backfill`).
public struct OutboxBackfill: Sendable {
    static let maxPages = 100
    static let maxItemsPerPage = 100

    let services: APIServices

    public init(services: APIServices) {
        self.services = services
    }

    /// Reads `outbox` and stores its videos; returns how many it stored. Videos that fail are skipped.
    @discardableResult
    public func run(outbox: String) async throws -> Int {
        guard let fetcher = services.fetcher, let host = URLParts(outbox)?.authority else { return 0 }
        let signer = try await services.localActors.instanceSigner()
        let resolver = RemoteActorResolver(services: services, fetcher: fetcher)
        let videos = RemoteVideos(services: services, resolver: resolver)
        let collection = try await fetcher.fetch(outbox, signer: signer)
        var next: JSONValue? = collection["first"]
        var stored = 0
        for _ in 0..<Self.maxPages {
            guard let reference = next else { break }
            let page: JSONValue
            if reference.object != nil, reference["orderedItems"] != nil {
                page = reference
            } else if let url = reference.id, URLParts(url)?.authority == host {
                page = try await fetcher.fetch(url, signer: signer)
            } else {
                break
            }
            // Pages hold 10 items here and in PeerTube; a page of thousands (each a fetch) is read in part.
            for item in (page["orderedItems"]?.list ?? page["items"]?.list ?? []).prefix(Self.maxItemsPerPage) {
                guard let type = item.type, type == "Announce" || type == "Create", let object = item["object"] else {
                    continue
                }
                do {
                    if object.type == "Video" {
                        if try await videos.save(object, origin: host) != nil { stored += 1 }
                    } else if let url = object.id, try await videos.fetchAndSave(url, vouchedBy: host) != nil {
                        stored += 1
                    }
                } catch {
                    continue  // one unusable video does not stop the rest
                }
            }
            next = page["next"]
        }
        return stored
    }
}
