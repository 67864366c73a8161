import HerdCore
import Hummingbird

/// `/api/v1/accounts/{name}…`.
public struct AccountsController: Sendable {
    let services: APIServices

    public init(services: APIServices) {
        self.services = services
    }

    public func addRoutes(to router: Router<HerdRequestContext>) {
        router.get("/api/v1/accounts/:name", use: get)
        router.get("/api/v1/accounts/:name/videos", use: videos)
        router.get("/api/v1/accounts/:name/video-channels", use: channels)
    }

    func find(_ context: HerdRequestContext) async throws -> Account {
        let text = try context.parameters.require("name")
        guard let handle = Handle(text, localHost: services.settings.publicHost),
            let account = try await services.stores.accounts.find(handle: handle)
        else { throw HerdError.notFound("Account not found") }
        return account
    }

    @Sendable func get(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let account = try await find(context)
        return try JSON.response(
            AccountDTO(account, baseURL: services.settings.baseURL, localHost: services.settings.publicHost)
        )
    }

    @Sendable func videos(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let account = try await find(context)
        let listing = VideoListing(services: services)
        var query = try listing.query(from: QueryParameters(request.uri.query), viewer: context.viewer)
        query.accountId = account.id
        return try await listing.response(for: query, request: request, viewer: context.viewer)
    }

    @Sendable func channels(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let account = try await find(context)
        let query = QueryParameters(request.uri.query)
        let page = try await services.stores.channels.list(
            accountId: account.id, pagination: try query.pagination(), sort: try ChannelSort(query: query["sort"])
        )
        let settings = services.settings
        return try JSON.response(
            ListDTO(page.map { ChannelDTO($0, baseURL: settings.baseURL, localHost: settings.publicHost) })
        )
    }
}
