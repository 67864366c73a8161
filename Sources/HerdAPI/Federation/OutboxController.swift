import HerdCore
import HerdProcessing
import Hummingbird

/// Outboxes (ActivityPub §5.1): `/accounts/{name}/outbox` and `/video-channels/{name}/outbox`, ten `Announce`s a
/// page (`ActivityPubDocuments.outbox`).
struct OutboxController: Sendable {
    let documents: ActivityPubDocuments

    func addRoutes(to router: Router<HerdRequestContext>) {
        router.get("/accounts/:name/outbox") { request, context in
            try await respond(request, .account(try context.parameters.require("name")))
        }
        router.get("/video-channels/:name/outbox") { request, context in
            try await respond(request, .channel(try context.parameters.require("name")))
        }
    }

    func respond(_ request: Request, _ owner: ActivityPubDocuments.OutboxOwner) async throws -> Response {
        var page: Int?
        if let text = QueryParameters(request.uri.query)["page"] {
            guard let number = Int(text) else { throw HerdError.badRequest("page must be a number from 1") }
            page = number
        }
        return ActivityPubResponse.json(try await documents.outbox(of: owner, page: page))
    }
}
