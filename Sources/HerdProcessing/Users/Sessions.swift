import Foundation
import HerdCore
import HerdCrypto

/// OAuth2 sessions as PeerTube has them: the local client, the password and refresh-token grants, revocation, and
/// the user behind a bearer token. Tokens are kept only as SHA-256 digests.
public final class Sessions: Sendable {
    let stores: Stores
    let passwords: PasswordHasher
    let accessLifetime: Int
    let refreshLifetime: Int
    let clock: any WallClock

    public init(
        stores: Stores, passwords: PasswordHasher, accessLifetime: Int, refreshLifetime: Int, clock: any WallClock
    ) {
        self.stores = stores
        self.passwords = passwords
        self.accessLifetime = accessLifetime
        self.refreshLifetime = refreshLifetime
        self.clock = clock
    }

    /// The local client, made once.
    public func localClient() async throws -> OAuthClient {
        try await stores.tokens.localClient {
            OAuthClient(clientId: SecureRandom.alphanumeric(32), clientSecret: SecureRandom.alphanumeric(32))
        }
    }

    /// How a client asks for tokens (`grant_type` and its fields as sent).
    public enum Grant: Sendable {
        case password(username: String?, password: String?)
        case refreshToken(String?)
        case unsupported
    }

    /// A new pair of tokens with their lifetimes in seconds.
    public struct Issued: Sendable {
        public var accessToken: String
        public var refreshToken: String
        public var accessLifetime: Int
        public var refreshLifetime: Int
    }

    public func issue(_ grant: Grant, clientId: String?, clientSecret: String?) async throws -> Issued {
        let client = try await localClient()
        guard clientId == client.clientId, clientSecret == client.clientSecret else {
            throw HerdError.badRequest("Invalid client: client is invalid", code: "invalid_client")
        }
        let userId: Int64
        switch grant {
        case .password(let username, let password):
            guard let username, let password else {
                throw HerdError.badRequest("username and password are required", code: "invalid_request")
            }
            guard let user = try await stores.users.find(usernameOrEmail: username),
                passwords.verify(password, against: user.passwordHash)
            else {
                throw HerdError.badRequest("Invalid grant: user credentials are invalid", code: "invalid_grant")
            }
            guard !user.blocked else { throw HerdError.badRequest("this user is blocked", code: "user_blocked") }
            userId = user.id
        case .refreshToken(let refresh):
            guard let refresh, let token = try await stores.tokens.find(refreshTokenDigest: Digest.sha256Hex(refresh)),
                token.refreshExpiresAt > clock.now()
            else {
                throw HerdError.badRequest("Invalid grant: refresh token is invalid", code: "invalid_grant")
            }
            try await stores.tokens.delete(id: token.id)
            userId = token.userId
        case .unsupported:
            throw HerdError.badRequest("grant_type must be password or refresh_token", code: "unsupported_grant_type")
        }
        let access = SecureRandom.token()
        let refresh = SecureRandom.token()
        let now = clock.now()
        _ = try await stores.tokens.insert(
            userId: userId, accessTokenDigest: Digest.sha256Hex(access), refreshTokenDigest: Digest.sha256Hex(refresh),
            accessExpiresAt: now.addingTimeInterval(TimeInterval(accessLifetime)),
            refreshExpiresAt: now.addingTimeInterval(TimeInterval(refreshLifetime)))
        return Issued(
            accessToken: access, refreshToken: refresh, accessLifetime: accessLifetime,
            refreshLifetime: refreshLifetime)
    }

    /// Ends the session of `accessToken`.
    public func revoke(accessToken: String) async throws {
        guard let stored = try await stores.tokens.find(accessTokenDigest: Digest.sha256Hex(accessToken)) else {
            throw HerdError.unauthorized("the access token is invalid", code: "invalid_token")
        }
        try await stores.tokens.delete(id: stored.id)
    }

    /// The user of a valid access token, with the token's id; 401 for an unknown or expired token or a blocked user.
    public func authenticate(accessToken: String) async throws -> (user: User, tokenId: Int64) {
        // The token and its user in one read (issue 16: half the database trips of a logged-in request).
        guard
            let (token, user) = try await stores.tokens.findWithUser(accessTokenDigest: Digest.sha256Hex(accessToken)),
            token.accessExpiresAt > clock.now(), !user.blocked
        else {
            throw HerdError.unauthorized("the access token is invalid or expired", code: "invalid_token")
        }
        return (user, token.id)
    }
}
