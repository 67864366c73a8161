import Foundation
import HTTPTypes
import HerdCore
import HerdCrypto
import Hummingbird

/// PeerTube's OAuth2 endpoints: the local client, password and refresh-token grants, revocation.
public struct OAuthController: Sendable {
    let services: APIServices
    var tokenLimiter: RateLimiter { services.rateLimiters.login }

    public init(services: APIServices) {
        self.services = services
    }

    public func addRoutes(to router: Router<HerdRequestContext>) {
        router.get("/api/v1/oauth-clients/local", use: localClient)
        router.post("/api/v1/users/token", use: token)
        router.post("/api/v1/users/revoke-token", use: revoke)
    }

    /// Answers only when `Host` is the configured public host (or a loopback alias of it), as PeerTube does.
    @Sendable func localClient(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let host = request.head.authority ?? request.headers[HTTPField.Name("Host")!] ?? ""
        guard services.settings.isPublicHost(host) else {
            throw HerdError.forbidden("Getting client tokens for host \(host) is forbidden")
        }
        let client = try await localClientValue()
        return try JSON.response(["client_id": client.clientId, "client_secret": client.clientSecret])
    }

    func localClientValue() async throws -> OAuthClient {
        try await services.stores.tokens.localClient {
            OAuthClient(clientId: SecureRandom.alphanumeric(32), clientSecret: SecureRandom.alphanumeric(32))
        }
    }

    struct TokenResponse: Encodable {
        var token_type = "Bearer"
        var access_token: String
        var refresh_token: String
        var expires_in: Int
        var refresh_token_expires_in: Int
    }

    @Sendable func token(_ request: Request, context: HerdRequestContext) async throws -> Response {
        try await tokenLimiter.hit(context.remoteIP, now: services.clock.now())
        let body = try await JSON.collect(request, limit: 64 * 1024)
        let form = FormParameters(String(buffer: body))
        let client = try await localClientValue()
        guard form["client_id"] == client.clientId, form["client_secret"] == client.clientSecret else {
            throw HerdError.badRequest("Invalid client: client is invalid", code: "invalid_client")
        }
        let userId: Int64
        switch form["grant_type"] {
        case "password":
            guard let username = form["username"], let password = form["password"] else {
                throw HerdError.badRequest("username and password are required", code: "invalid_request")
            }
            guard let user = try await services.stores.users.find(usernameOrEmail: username),
                services.passwords.verify(password, against: user.passwordHash)
            else {
                throw HerdError.badRequest("Invalid grant: user credentials are invalid", code: "invalid_grant")
            }
            guard !user.blocked else { throw HerdError.badRequest("this user is blocked", code: "user_blocked") }
            userId = user.id
        case "refresh_token":
            guard let refresh = form["refresh_token"],
                let token = try await services.stores.tokens.find(refreshTokenDigest: Digest.sha256Hex(refresh)),
                token.refreshExpiresAt > services.clock.now()
            else {
                throw HerdError.badRequest("Invalid grant: refresh token is invalid", code: "invalid_grant")
            }
            try await services.stores.tokens.delete(id: token.id)
            userId = token.userId
        default:
            throw HerdError.badRequest("grant_type must be password or refresh_token", code: "unsupported_grant_type")
        }
        let access = SecureRandom.token()
        let refresh = SecureRandom.token()
        let now = services.clock.now()
        let settings = services.settings
        _ = try await services.stores.tokens.insert(
            userId: userId, accessTokenDigest: Digest.sha256Hex(access), refreshTokenDigest: Digest.sha256Hex(refresh),
            accessExpiresAt: now.addingTimeInterval(TimeInterval(settings.accessTokenLifetime)),
            refreshExpiresAt: now.addingTimeInterval(TimeInterval(settings.refreshTokenLifetime))
        )
        let response = TokenResponse(
            access_token: access, refresh_token: refresh, expires_in: settings.accessTokenLifetime,
            refresh_token_expires_in: settings.refreshTokenLifetime
        )
        return try JSON.response(response, headers: [.cacheControl: "no-store", HTTPField.Name("Pragma")!: "no-cache"])
    }

    @Sendable func revoke(_ request: Request, context: HerdRequestContext) async throws -> Response {
        _ = try context.requireUser()
        guard let header = request.headers[.authorization], let token = header.split(separator: " ").last,
            let stored = try await services.stores.tokens.find(accessTokenDigest: Digest.sha256Hex(String(token)))
        else { throw HerdError.unauthorized("the access token is invalid", code: "invalid_token") }
        try await services.stores.tokens.delete(id: stored.id)
        return Response(
            status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{}")))
    }
}
