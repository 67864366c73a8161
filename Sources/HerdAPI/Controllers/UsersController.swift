import Foundation
import HerdCore
import HerdCrypto
import HerdProcessing
import Hummingbird
import Logging

/// `/api/v1/users…`: the current user, registration, and user administration.
public struct UsersController: Sendable {
    let services: APIServices
    var registerLimiter: RateLimiter { services.rateLimiters.signup }

    public init(services: APIServices) {
        self.services = services
    }

    var accounts: UserAccounts { UserAccounts(stores: services.stores, passwords: services.passwords) }

    public func addRoutes(to router: Router<HerdRequestContext>) {
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
        let stores = services.stores
        let account = try await stores.accounts.find(userId: user.id)
        var channels: [ChannelWithOwner]?
        if let account {
            channels = try await stores.channels.list(
                accountId: account.id, pagination: Pagination(count: 100), sort: .createdAt
            ).data
        }
        let used = try await stores.videos.usedQuota(userId: user.id, since: nil)
        return UserDTO(
            user, account: account, channels: channels, quotaUsed: used, baseURL: services.settings.baseURL,
            localHost: services.settings.publicHost
        )
    }

    @Sendable func me(_ request: Request, context: HerdRequestContext) async throws -> Response {
        try JSON.response(try await userDTO(try context.requireUser()))
    }

    @Sendable func myVideos(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let user = try context.requireUser()
        guard let account = try await services.stores.accounts.find(userId: user.id) else {
            throw HerdError.internalError("user \(user.id) has no account")
        }
        let query = QueryParameters(request.uri.query)
        let videoQuery = VideoQuery(
            pagination: try query.pagination(), sort: try VideoSort(query: query["sort"], default: .createdAtDesc),
            accountId: account.id, privacies: [], onlyPublished: false
        )
        let page = try await services.stores.videos.list(videoQuery)
        let settings = services.settings
        return try JSON.response(
            ListDTO(
                page.map { VideoDTO($0, baseURL: settings.baseURL, localHost: settings.publicHost, details: false) })
        )
    }

    struct QuotaUsed: Encodable {
        var videoQuotaUsed: Int64
        var videoQuotaUsedDaily: Int64
    }

    @Sendable func quotaUsed(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let videos = services.stores.videos
        let total = try await videos.usedQuota(userId: user.id, since: nil)
        let daily = try await videos.usedQuota(userId: user.id, since: services.clock.now().addingTimeInterval(-86400))
        return try JSON.response(QuotaUsed(videoQuotaUsed: total, videoQuotaUsedDaily: daily))
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
        guard try await services.signupEnabled() else {
            throw HerdError.forbidden("User registration is not enabled.")
        }
        try await registerLimiter.hit(context.remoteIP, now: services.clock.now())
        let body = try await JSON.decode(RegisterRequest.self, from: request, limit: services.settings.apiMaxBodySize)
        _ = try await accounts.create(
            username: body.username, password: body.password, email: body.email, role: .user,
            quota: services.settings.defaultQuota, displayName: body.displayName, channelName: body.channel?.name,
            channelDisplayName: body.channel?.displayName
        )
        return Response(status: .noContent)
    }

    @Sendable func list(_ request: Request, context: HerdRequestContext) async throws -> Response {
        _ = try context.requireRole(.moderator)
        let pagination = try QueryParameters(request.uri.query).pagination()
        let page = try await services.stores.users.list(start: pagination.start, count: pagination.count)
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
        let admin = try context.requireRole(.administrator)
        let body = try await JSON.decode(CreateRequest.self, from: request, limit: services.settings.apiMaxBodySize)
        guard let role = Role(rawValue: body.role) else { throw HerdError.badRequest("role must be 0, 1 or 2") }
        _ = admin
        let bundle = try await accounts.create(
            username: body.username, password: body.password, email: body.email, role: role,
            quota: body.videoQuota ?? services.settings.defaultQuota, channelName: body.channelName
        )
        if let daily = body.videoQuotaDaily {
            var user = bundle.user
            user.videoQuotaDaily = daily
            try await services.stores.users.update(user)
        }
        return try JSON.response(CreatedUser(user: .init(id: bundle.user.id, account: .init(id: bundle.account.id))))
    }

    func requireUser(id text: String) async throws -> User {
        guard let id = Int64(text), let user = try await services.stores.users.find(id: id) else {
            throw HerdError.notFound("User not found")
        }
        return user
    }

    @Sendable func get(_ request: Request, context: HerdRequestContext) async throws -> Response {
        _ = try context.requireRole(.moderator)
        return try JSON.response(try await userDTO(try await requireUser(id: context.parameters.require("id"))))
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
        var user = try await requireUser(id: context.parameters.require("id"))
        let body = try await JSON.decode(UpdateRequest.self, from: request, limit: services.settings.apiMaxBodySize)
        if let email = body.email { user.email = email }
        if let role = body.role {
            guard let role = Role(rawValue: role) else { throw HerdError.badRequest("role must be 0, 1 or 2") }
            guard user.id != admin.id || role == .administrator else {
                throw HerdError.badRequest("you cannot remove your own administrator role")
            }
            user.role = role
        }
        if let quota = body.videoQuota {
            guard quota >= -1 else { throw HerdError.badRequest("videoQuota must be -1 or more") }
            user.videoQuota = quota
        }
        if let daily = body.videoQuotaDaily {
            guard daily >= -1 else { throw HerdError.badRequest("videoQuotaDaily must be -1 or more") }
            user.videoQuotaDaily = daily
        }
        if let password = body.password {
            guard UserAccounts.passwordLength.contains(password.count) else {
                throw HerdError.badRequest("password must be between 6 and 255 characters")
            }
            user.passwordHash = services.passwords.hash(password)
        }
        try await services.stores.users.update(user)
        // A new password signs the user out everywhere else: whoever knew the old one keeps no session.
        if body.password != nil {
            try await services.stores.tokens.deleteAll(userId: user.id, except: context.tokenId)
        }
        return Response(status: .noContent)
    }

    @Sendable func delete(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let admin = try context.requireRole(.administrator)
        let user = try await requireUser(id: context.parameters.require("id"))
        guard user.id != admin.id else { throw HerdError.badRequest("you cannot delete yourself") }
        if let account = try await services.stores.accounts.find(userId: user.id) {
            try await services.processing.videoRemoval.removeAll(accountId: account.id)
        }
        try await services.stores.users.delete(id: user.id)
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
