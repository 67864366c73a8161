import HerdCore
import HerdProcessing
import Hummingbird

/// `/api/v1/video-channels…`.
public struct ChannelsController: Sendable {
    let services: APIServices
    static let maxChannelsPerUser = 20

    public init(services: APIServices) {
        self.services = services
    }

    public func addRoutes(to router: Router<HerdRequestContext>) {
        router.get("/api/v1/video-channels", use: list)
        router.post("/api/v1/video-channels", use: create)
        router.get("/api/v1/video-channels/:handle", use: get)
        router.put("/api/v1/video-channels/:handle", use: update)
        router.delete("/api/v1/video-channels/:handle", use: delete)
        router.get("/api/v1/video-channels/:handle/videos", use: videos)
    }

    func dto(_ value: ChannelWithOwner) -> ChannelDTO {
        ChannelDTO(value, baseURL: services.settings.baseURL, localHost: services.settings.publicHost)
    }

    func find(_ context: HerdRequestContext) async throws -> ChannelWithOwner {
        let text = try context.parameters.require("handle")
        guard let handle = Handle(text, localHost: services.settings.publicHost),
            let channel = try await services.stores.channels.find(handle: handle)
        else { throw HerdError.notFound("Video channel not found") }
        return channel
    }

    /// The channel if the user owns it or is an administrator.
    func findManaged(_ context: HerdRequestContext) async throws -> ChannelWithOwner {
        let user = try context.requireUser()
        let channel = try await find(context)
        guard channel.owner.userId == user.id || user.role == .administrator else {
            throw HerdError.forbidden("Cannot manage a video channel of another user")
        }
        return channel
    }

    @Sendable func list(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let query = QueryParameters(request.uri.query)
        let page = try await services.stores.channels.list(
            accountId: nil, pagination: try query.pagination(), sort: try ChannelSort(query: query["sort"])
        )
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
        let body = try await JSON.decode(CreateRequest.self, from: request, limit: services.settings.apiMaxBodySize)
        try ActorNameRules.validate(body.name, field: "name")
        try UserAccounts.validateDisplayName(body.displayName)
        try Self.validate(description: body.description, support: body.support)
        guard let account = try await services.stores.accounts.find(userId: user.id) else {
            throw HerdError.internalError("user \(user.id) has no account")
        }
        guard try await services.stores.channels.count(accountId: account.id) < Self.maxChannelsPerUser else {
            throw HerdError.forbidden("You cannot create more than \(Self.maxChannelsPerUser) channels")
        }
        let channel = try await services.stores.channels.create(
            NewChannel(
                accountId: account.id, name: body.name, displayName: body.displayName, description: body.description,
                support: body.support, keys: try LocalActors.makeKeys()
            )
        )
        return try JSON.response(Created(videoChannel: .init(id: channel.id)))
    }

    static func validate(description: String?, support: String?) throws {
        if let description, description.count > 1000 {
            throw HerdError.badRequest("description must be at most 1000 characters")
        }
        if let support, support.count > 1000 { throw HerdError.badRequest("support must be at most 1000 characters") }
    }

    @Sendable func get(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let channel = try await find(context)
        let count = try await services.stores.videos.count(channelId: channel.channel.id)
        return try JSON.response(
            ChannelDTO(
                channel, baseURL: services.settings.baseURL, localHost: services.settings.publicHost, videosCount: count
            )
        )
    }

    struct UpdateRequest: Decodable {
        var displayName: String?
        var description: String?
        var support: String?
    }

    @Sendable func update(_ request: Request, context: HerdRequestContext) async throws -> Response {
        var channel = try await findManaged(context).channel
        let body = try await JSON.decode(UpdateRequest.self, from: request, limit: services.settings.apiMaxBodySize)
        if let displayName = body.displayName {
            try UserAccounts.validateDisplayName(displayName)
            channel.displayName = displayName
        }
        try Self.validate(description: body.description, support: body.support)
        if let description = body.description { channel.description = description }
        if let support = body.support { channel.support = support }
        try await services.stores.channels.update(channel)
        services.events.publish(.channel(id: channel.id))
        return Response(status: .noContent)
    }

    @Sendable func delete(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let channel = try await findManaged(context)
        guard try await services.stores.channels.count(accountId: channel.owner.id) > 1 else {
            throw HerdError.conflict("Cannot remove the last channel of this user")
        }
        try await services.processing.videoRemoval.removeAll(channelId: channel.channel.id)
        try await services.stores.channels.delete(id: channel.channel.id)
        return Response(status: .noContent)
    }

    @Sendable func videos(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let channel = try await find(context)
        let listing = VideoListing(services: services)
        var query = try listing.query(from: QueryParameters(request.uri.query), viewer: context.viewer)
        query.channelId = channel.channel.id
        return try await listing.response(for: query, request: request, viewer: context.viewer)
    }
}
