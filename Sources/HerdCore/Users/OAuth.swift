import Foundation

/// The instance's own OAuth client, which PeerTube clients fetch from `/api/v1/oauth-clients/local`.
public struct OAuthClient: Sendable, Equatable {
    public var clientId: String
    public var clientSecret: String

    public init(clientId: String, clientSecret: String) {
        self.clientId = clientId
        self.clientSecret = clientSecret
    }
}

/// An issued token pair. Stores keep only SHA-256 digests of the token strings.
public struct OAuthToken: Sendable, Equatable {
    public var id: Int64
    public var userId: Int64
    public var accessTokenDigest: String
    public var refreshTokenDigest: String
    public var accessExpiresAt: Date
    public var refreshExpiresAt: Date

    public init(
        id: Int64, userId: Int64, accessTokenDigest: String, refreshTokenDigest: String,
        accessExpiresAt: Date, refreshExpiresAt: Date
    ) {
        self.id = id
        self.userId = userId
        self.accessTokenDigest = accessTokenDigest
        self.refreshTokenDigest = refreshTokenDigest
        self.accessExpiresAt = accessExpiresAt
        self.refreshExpiresAt = refreshExpiresAt
    }
}

/// Persistence of OAuth clients and tokens.
public protocol TokenStore: Sendable {
    /// The local client, created once with the given generator and kept from then on.
    func localClient(orCreate make: @escaping @Sendable () -> OAuthClient) async throws -> OAuthClient
    func insert(
        userId: Int64, accessTokenDigest: String, refreshTokenDigest: String,
        accessExpiresAt: Date, refreshExpiresAt: Date
    ) async throws -> OAuthToken
    func find(accessTokenDigest: String) async throws -> OAuthToken?
    /// The access token and its user in one read (every logged-in request asks it).
    func findWithUser(accessTokenDigest: String) async throws -> (token: OAuthToken, user: User)?
    func find(refreshTokenDigest: String) async throws -> OAuthToken?
    func delete(id: Int64) async throws
    func deleteAll(userId: Int64) async throws
    /// Every token of the user but `kept` (the session that changed the password stays signed in).
    func deleteAll(userId: Int64, except kept: Int64?) async throws
    /// Removes tokens whose refresh token expired before `date`.
    func purge(expiredBefore date: Date) async throws
}
