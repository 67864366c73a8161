import Foundation
import HerdCore
import HerdProcessing
import Hummingbird

/// `/api/v1/users…`: the current user, registration, and user administration (`UserManagement`).
struct UsersController: Sendable {
    let users: UserManagement
    let registerLimiter: RateLimiter
    let settings: Settings
    let clock: any WallClock

    func addRoutes(to router: Router<HerdRequestContext>) {
        router.get("/api/v1/users/me", use: me)
        router.get("/api/v1/users/me/videos", use: myVideos)
        router.get("/api/v1/users/me/video-quota-used", use: quotaUsed)
        router.post("/api/v1/users/register", use: register)
        router.get("/api/v1/users", use: list)
        router.post("/api/v1/users", use: create)
        router.get("/api/v1/users/:id", use: get)
        router.put("/api/v1/users/:id", use: update)
        router.delete("/api/v1/users/:id", use: delete)
    }

    func userDTO(_ user: User) async throws -> UserDTO {
        let profile = try await users.profile(user)
        return UserDTO(
            user, account: profile.account, channels: profile.channels, quotaUsed: profile.quotaUsed,
            baseURL: settings.baseURL, localHost: settings.publicHost)
    }

    @Sendable func me(_ request: Request, context: HerdRequestContext) async throws -> Response {
        try JSON.response(try await userDTO(try context.requireUser()))
    }

    @Sendable func myVideos(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let query = QueryParameters(request.uri.query)
        let page = try await users.videos(
            of: user, pagination: try query.pagination(),
            sort: try VideoSort(query: query["sort"], default: .createdAtDesc))
        return try JSON.response(
            ListDTO(
                page.map { VideoDTO($0, baseURL: settings.baseURL, localHost: settings.publicHost, details: false) }))
    }

    struct QuotaUsed: Encodable {
        var videoQuotaUsed: Int64
        var videoQuotaUsedDaily: Int64
    }

    @Sendable func quotaUsed(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let used = try await users.quotaUsed(by: try context.requireUser())
        return try JSON.response(QuotaUsed(videoQuotaUsed: used.total, videoQuotaUsedDaily: used.daily))
    }

    struct RegisterRequest: Decodable {
        struct ChannelRequest: Decodable {
            var name: String
            var displayName: String
        }
        var username: String
        var password: String
        var email: String
        var displayName: String?
        var channel: ChannelRequest?
    }

    @Sendable func register(_ request: Request, context: HerdRequestContext) async throws -> Response {
        // A closed sign-up answers before the address's attempts are counted.
        try await users.checkSignupOpen()
        try await registerLimiter.hit(context.remoteIP, now: clock.now())
        let body = try await JSON.decode(RegisterRequest.self, from: request, limit: settings.apiMaxBodySize)
        try await users.register(
            username: body.username, password: body.password, email: body.email, displayName: body.displayName,
            channelName: body.channel?.name, channelDisplayName: body.channel?.displayName)
        return Response(status: .noContent)
    }

    @Sendable func list(_ request: Request, context: HerdRequestContext) async throws -> Response {
        _ = try context.requireRole(.moderator)
        let page = try await users.list(pagination: try QueryParameters(request.uri.query).pagination())
        var dtos: [UserDTO] = []
        for user in page.data { dtos.append(try await userDTO(user)) }
        return try JSON.response(ListDTO(Page(total: page.total, data: dtos)))
    }

    struct CreateRequest: Decodable {
        var username: String
        var password: String
        var email: String
        var role: Int
        var videoQuota: Int64?
        var videoQuotaDaily: Int64?
        var channelName: String?
    }

    struct CreatedUser: Encodable {
        struct Inner: Encodable {
            struct AccountID: Encodable { var id: Int64 }
            var id: Int64
            var account: AccountID
        }
        var user: Inner
    }

    @Sendable func create(_ request: Request, context: HerdRequestContext) async throws -> Response {
        _ = try context.requireRole(.administrator)
        let body = try await JSON.decode(CreateRequest.self, from: request, limit: settings.apiMaxBodySize)
        let bundle = try await users.create(
            username: body.username, password: body.password, email: body.email, role: body.role,
            quota: body.videoQuota, dailyQuota: body.videoQuotaDaily, channelName: body.channelName)
        return try JSON.response(CreatedUser(user: .init(id: bundle.user.id, account: .init(id: bundle.account.id))))
    }

    @Sendable func get(_ request: Request, context: HerdRequestContext) async throws -> Response {
        _ = try context.requireRole(.moderator)
        return try JSON.response(try await userDTO(try await users.find(id: context.parameters.require("id"))))
    }

    struct UpdateRequest: Decodable {
        var email: String?
        var role: Int?
        var videoQuota: Int64?
        var videoQuotaDaily: Int64?
        var password: String?
    }

    @Sendable func update(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let admin = try context.requireRole(.administrator)
        let user = try await users.find(id: context.parameters.require("id"))
        let body = try await JSON.decode(UpdateRequest.self, from: request, limit: settings.apiMaxBodySize)
        try await users.update(
            user,
            .init(
                email: body.email, role: body.role, videoQuota: body.videoQuota,
                videoQuotaDaily: body.videoQuotaDaily, password: body.password),
            by: admin, keptToken: context.tokenId)
        return Response(status: .noContent)
    }

    @Sendable func delete(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let admin = try context.requireRole(.administrator)
        try await users.delete(try await users.find(id: context.parameters.require("id")), by: admin)
        return Response(status: .noContent)
    }
}

/// PeerTube's `{total, data}` list envelope.
struct ListDTO<Element: Encodable & Sendable>: Encodable {
    var total: Int
    var data: [Element]

    init(_ page: Page<Element>) {
        total = page.total
        data = page.data
    }
}
