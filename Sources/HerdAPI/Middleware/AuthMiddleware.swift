import Foundation
import HerdCore
import HerdProcessing
import Hummingbird

/// Reads `Authorization: Bearer <token>` and puts the user in the context. A request without the
/// header stays anonymous; one with an unknown or expired token gets 401 (PeerTube's `invalid_token`).
/// A video password (`x-peertube-video-password`) goes into the context too, for `VideoCatalog`.
public struct AuthMiddleware: RouterMiddleware {
    public typealias Context = HerdRequestContext
    let sessions: Sessions

    public init(sessions: Sessions) {
        self.sessions = sessions
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
        let (user, tokenId) = try await sessions.authenticate(
            accessToken: String(parts[1]).trimmingCharacters(in: .whitespaces))
        context.user = user
        context.tokenId = tokenId
        return try await next(request, context)
    }
}
