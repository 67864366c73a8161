import HerdCore
import HerdProcessing
import Hummingbird

/// `/api/v1/accounts/{name}…`.
struct AccountsController: Sendable {
    let accounts: AccountDirectory
    let channels: VideoChannels
    let listing: VideoListing
    let settings: Settings

    func addRoutes(to router: Router<HerdRequestContext>) {
        router.get("/api/v1/accounts/:name", use: get)
        router.get("/api/v1/accounts/:name/videos", use: videos)
        router.get("/api/v1/accounts/:name/video-channels", use: channels)
    }

    func find(_ context: HerdRequestContext) async throws -> Account {
        try await accounts.find(handle: try context.parameters.require("name"))
    }

    @Sendable func get(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let account = try await find(context)
        return try JSON.response(AccountDTO(account, baseURL: settings.baseURL, localHost: settings.publicHost))
    }

    @Sendable func videos(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let account = try await find(context)
        var query = try listing.query(from: QueryParameters(request.uri.query), viewer: context.viewer)
        query.accountId = account.id
        return try await listing.response(for: query, request: request, viewer: context.viewer)
    }

    @Sendable func channels(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let account = try await find(context)
        let query = QueryParameters(request.uri.query)
        let page = try await channels.list(
            accountId: account.id, pagination: try query.pagination(), sort: try ChannelSort(query: query["sort"]))
        return try JSON.response(
            ListDTO(page.map { ChannelDTO($0, baseURL: settings.baseURL, localHost: settings.publicHost) }))
    }
}
