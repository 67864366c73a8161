import HerdCore
import HerdProcessing
import Hummingbird

/// The collections of local actors (ActivityPub §5): `/accounts/{name}/…` and `/video-channels/{name}/…` `outbox`
/// (ten `Announce`s a page), `followers`, `following` and `playlists`, as `OrderedCollection`s paged with `?page=`.
struct CollectionsController: Sendable {
    let documents: ActivityPubDocuments

    func addRoutes(to router: Router<HerdRequestContext>) {
        let owners: [(String, @Sendable (String) -> ActivityPubDocuments.LocalActor)] = [
            ("/accounts", { .account($0) }), ("/video-channels", { .channel($0) }),
        ]
        for (prefix, owner) in owners {
            router.get("\(prefix)/:name/outbox") { request, context in
                let page = try Self.page(request)
                return ActivityPubResponse.json(
                    try await documents.outbox(of: owner(try context.parameters.require("name")), page: page))
            }
            for collection in ActivityPubDocuments.ActorCollection.allCases {
                router.get("\(prefix)/:name/\(collection.rawValue)") { request, context in
                    let page = try Self.page(request)
                    return ActivityPubResponse.json(
                        try await documents.collection(
                            collection, of: owner(try context.parameters.require("name")), page: page))
                }
            }
        }
    }

    /// `?page=`, nil for the collection itself.
    static func page(_ request: Request) throws -> Int? {
        guard let text = QueryParameters(request.uri.query)["page"] else { return nil }
        guard let number = Int(text) else { throw HerdError.badRequest("page must be a number from 1") }
        return number
    }
}
