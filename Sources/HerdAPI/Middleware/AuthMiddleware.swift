import Foundation
import HerdCore
import HerdCrypto
import Hummingbird

/// Reads `Authorization: Bearer <token>` and puts the user in the context. A request without the
/// header stays anonymous; one with an unknown or expired token gets 401 (PeerTube's `invalid_token`).
/// A video password (`x-peertube-video-password`) goes into the context too, for `VideoCatalog`.
public struct AuthMiddleware: RouterMiddleware {
    public typealias Context = HerdRequestContext
    let services: APIServices

    public init(services: APIServices) {
        self.services = services
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        var context = context
        if let password = request.headers[HerdRequestContext.videoPasswordHeader], password.utf8.count <= 400 {
            context.videoPassword = password
        }
        guard let header = request.headers[.authorization] else { return try await next(request, context) }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw HerdError.unauthorized("the Authorization header must be 'Bearer <token>'", code: "invalid_token")
        }
        let digest = Digest.sha256Hex(String(parts[1]).trimmingCharacters(in: .whitespaces))
        // The token and its user in one read (issue 16: half the database trips of a logged-in request).
        guard let (token, user) = try await services.stores.tokens.findWithUser(accessTokenDigest: digest),
            token.accessExpiresAt > services.clock.now(), !user.blocked
        else {
            throw HerdError.unauthorized("the access token is invalid or expired", code: "invalid_token")
        }
        context.user = user
        context.tokenId = token.id
        return try await next(request, context)
    }
}
