import HerdCore
import Hummingbird
import Logging
import NIOCore

/// The per-request context: Hummingbird's core storage plus the authenticated user, if any.
public struct HerdRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `AuthMiddleware` when the request carries a valid bearer token.
    public var user: User?
    /// That token's id.
    public var tokenId: Int64?
    /// The client's IP address, used as the rate-limit key: the connection's, or behind a trusted proxy the one
    /// it forwarded (`ClientAddressMiddleware`).
    public var remoteIP: String
    /// The request came with `X-Forwarded-For` (through a proxy, trusted or not).
    public var forwarded = false
    /// `x-peertube-video-password`, for password-protected videos (PeerTube 6); nil when absent or too long.
    public var videoPassword: String?
    /// The loop of the request's connection.
    public let eventLoop: any EventLoop

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.user = nil
        self.remoteIP = source.channel.remoteAddress?.ipAddress ?? "unknown"
        self.eventLoop = source.channel.eventLoop
    }

    public var viewer: Viewer { Viewer(user: user) }

    /// The authenticated user, or 401.
    public func requireUser() throws -> User {
        guard let user else { throw HerdError.unauthorized("authentication is required", code: "invalid_token") }
        return user
    }

    /// The authenticated user if their role is at least `role` (administrator > moderator > user), or 403.
    public func requireRole(_ role: Role) throws -> User {
        let user = try requireUser()
        guard user.role.rawValue <= role.rawValue else {
            throw HerdError.forbidden("this action needs the \(role.name) role")
        }
        return user
    }
}
