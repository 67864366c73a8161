import Foundation
import HTTPTypes
import HerdCore
import HerdProcessing
import Hummingbird

/// PeerTube's OAuth2 endpoints: the local client, password and refresh-token grants, revocation (`Sessions`).
struct OAuthController: Sendable {
    let sessions: Sessions
    let limiter: RateLimiter
    let settings: Settings
    let clock: any WallClock

    func addRoutes(to router: Router<HerdRequestContext>) {
        router.get("/api/v1/oauth-clients/local", use: localClient)
        router.post("/api/v1/users/token", use: token)
        router.post("/api/v1/users/revoke-token", use: revoke)
    }

    /// Answers only when `Host` is the configured public host (or a loopback alias of it), as PeerTube does.
    @Sendable func localClient(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let host = request.head.authority ?? request.headers[HTTPField.Name("Host")!] ?? ""
        guard settings.isPublicHost(host) else {
            throw HerdError.forbidden("Getting client tokens for host \(host) is forbidden")
        }
        let client = try await sessions.localClient()
        return try JSON.response(["client_id": client.clientId, "client_secret": client.clientSecret])
    }

    struct TokenResponse: Encodable {
        var token_type = "Bearer"
        var access_token: String
        var refresh_token: String
        var expires_in: Int
        var refresh_token_expires_in: Int
    }

    @Sendable func token(_ request: Request, context: HerdRequestContext) async throws -> Response {
        try await limiter.hit(context.remoteIP, now: clock.now())
        let body = try await JSON.collect(request, limit: 64 * 1024)
        let form = FormParameters(String(buffer: body))
        let grant: Sessions.Grant =
            switch form["grant_type"] {
            case "password": .password(username: form["username"], password: form["password"])
            case "refresh_token": .refreshToken(form["refresh_token"])
            default: .unsupported
            }
        let issued = try await sessions.issue(grant, clientId: form["client_id"], clientSecret: form["client_secret"])
        let response = TokenResponse(
            access_token: issued.accessToken, refresh_token: issued.refreshToken, expires_in: issued.accessLifetime,
            refresh_token_expires_in: issued.refreshLifetime)
        return try JSON.response(response, headers: [.cacheControl: "no-store", HTTPField.Name("Pragma")!: "no-cache"])
    }

    @Sendable func revoke(_ request: Request, context: HerdRequestContext) async throws -> Response {
        _ = try context.requireUser()
        guard let header = request.headers[.authorization], let token = header.split(separator: " ").last else {
            throw HerdError.unauthorized("the access token is invalid", code: "invalid_token")
        }
        try await sessions.revoke(accessToken: String(token))
        return Response(
            status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{}")))
    }
}
