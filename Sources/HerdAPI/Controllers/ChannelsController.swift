import HerdCore
import HerdProcessing
import Hummingbird

/// `/api/v1/video-channels…` (`VideoChannels` decides).
struct ChannelsController: Sendable {
    let channels: VideoChannels
    let listing: VideoListing
    let settings: Settings

    func addRoutes(to router: Router<HerdRequestContext>) {
        router.get("/api/v1/video-channels", use: list)
        router.post("/api/v1/video-channels", use: create)
        router.get("/api/v1/video-channels/:handle", use: get)
        router.put("/api/v1/video-channels/:handle", use: update)
        router.delete("/api/v1/video-channels/:handle", use: delete)
        router.get("/api/v1/video-channels/:handle/videos", use: videos)
    }

    func dto(_ value: ChannelWithOwner) -> ChannelDTO {
        ChannelDTO(value, baseURL: settings.baseURL, localHost: settings.publicHost)
    }

    func managed(_ context: HerdRequestContext) async throws -> ChannelWithOwner {
        let user = try context.requireUser()
        return try await channels.managed(handle: try context.parameters.require("handle"), by: user)
    }

    @Sendable func list(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let query = QueryParameters(request.uri.query)
        let page = try await channels.list(
            accountId: nil, pagination: try query.pagination(), sort: try ChannelSort(query: query["sort"]))
        return try JSON.response(ListDTO(page.map(dto)))
    }

    struct CreateRequest: Decodable {
        var name: String
        var displayName: String
        var description: String?
        var support: String?
    }

    struct Created: Encodable {
        struct Inner: Encodable { var id: Int64 }
        var videoChannel: Inner
    }

    @Sendable func create(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let body = try await JSON.decode(CreateRequest.self, from: request, limit: settings.apiMaxBodySize)
        let channel = try await channels.create(
            name: body.name, displayName: body.displayName, description: body.description, support: body.support,
            by: user)
        return try JSON.response(Created(videoChannel: .init(id: channel.id)))
    }

    @Sendable func get(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let channel = try await channels.find(handle: try context.parameters.require("handle"))
        let count = try await channels.videosCount(channel)
        return try JSON.response(
            ChannelDTO(channel, baseURL: settings.baseURL, localHost: settings.publicHost, videosCount: count))
    }

    struct UpdateRequest: Decodable {
        var displayName: String?
        var description: String?
        var support: String?
    }

    @Sendable func update(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let channel = try await managed(context)
        let body = try await JSON.decode(UpdateRequest.self, from: request, limit: settings.apiMaxBodySize)
        try await channels.update(
            channel, displayName: body.displayName, description: body.description, support: body.support)
        return Response(status: .noContent)
    }

    @Sendable func delete(_ request: Request, context: HerdRequestContext) async throws -> Response {
        try await channels.delete(try await managed(context))
        return Response(status: .noContent)
    }

    @Sendable func videos(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let channel = try await channels.find(handle: try context.parameters.require("handle"))
        var query = try listing.query(from: QueryParameters(request.uri.query), viewer: context.viewer)
        query.channelId = channel.channel.id
        return try await listing.response(for: query, request: request, viewer: context.viewer)
    }
}
