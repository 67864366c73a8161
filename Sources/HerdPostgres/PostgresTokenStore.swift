import Foundation
import HerdCore
import PostgresNIO

struct PostgresTokenStore: TokenStore {
    let db: PostgresConnections

    static let columns = "id, user_id, access_digest, refresh_digest, access_expires_at, refresh_expires_at"

    func localClient(orCreate make: @escaping @Sendable () -> OAuthClient) async throws -> OAuthClient {
        let client = make()
        // Nodes starting together agree on the first client written.
        try await db.query(
            """
            INSERT INTO oauth_clients (id, client_id, client_secret) VALUES (1, \(client.clientId), \(client.clientSecret))
            ON CONFLICT (id) DO NOTHING
            """)
        let row = try await db.query("SELECT client_id, client_secret FROM oauth_clients WHERE id = 1")[0]
        let (id, secret) = try row.decode((String, String).self)
        return OAuthClient(clientId: id, clientSecret: secret)
    }

    func insert(
        userId: Int64, accessTokenDigest: String, refreshTokenDigest: String, accessExpiresAt: Date,
        refreshExpiresAt: Date
    ) async throws -> OAuthToken {
        try Self.token(
            try await db.query(
                """
                INSERT INTO oauth_tokens (user_id, access_digest, refresh_digest, access_expires_at, refresh_expires_at)
                VALUES (\(userId), \(accessTokenDigest), \(refreshTokenDigest), \(accessExpiresAt), \(refreshExpiresAt))
                RETURNING \(unescaped: Self.columns)
                """)[0])
    }

    func find(accessTokenDigest: String) async throws -> OAuthToken? {
        try await db.first(
            "SELECT \(unescaped: Self.columns) FROM oauth_tokens WHERE access_digest = \(accessTokenDigest)"
        ).map(Self.token)
    }

    func findWithUser(accessTokenDigest: String) async throws -> (token: OAuthToken, user: User)? {
        // One round trip: the API authenticates every request with it.
        guard
            let row = try await db.first(
                """
                SELECT t.id, t.user_id, t.access_digest, t.refresh_digest, t.access_expires_at, t.refresh_expires_at,
                    u.id, u.username, u.email, u.password_hash, u.role, u.video_quota, u.video_quota_daily, u.blocked,
                    u.created_at
                FROM oauth_tokens t JOIN users u ON u.id = t.user_id WHERE t.access_digest = \(accessTokenDigest)
                """)
        else { return nil }
        var cells = Cells(row)
        let token = try Self.token(cells: &cells)
        return (token, try User(cells: &cells))
    }

    func find(refreshTokenDigest: String) async throws -> OAuthToken? {
        try await db.first(
            "SELECT \(unescaped: Self.columns) FROM oauth_tokens WHERE refresh_digest = \(refreshTokenDigest)"
        ).map(Self.token)
    }

    func delete(id: Int64) async throws {
        try await db.query("DELETE FROM oauth_tokens WHERE id = \(id)")
    }

    func deleteAll(userId: Int64) async throws {
        try await db.query("DELETE FROM oauth_tokens WHERE user_id = \(userId)")
    }

    func deleteAll(userId: Int64, except kept: Int64?) async throws {
        try await db.query("DELETE FROM oauth_tokens WHERE user_id = \(userId) AND id IS DISTINCT FROM \(kept)")
    }

    func purge(expiredBefore date: Date) async throws {
        try await db.query("DELETE FROM oauth_tokens WHERE refresh_expires_at < \(date)")
    }

    static func token(_ row: PostgresRow) throws -> OAuthToken {
        var cells = Cells(row)
        return try token(cells: &cells)
    }

    static func token(cells: inout Cells) throws -> OAuthToken {
        OAuthToken(
            id: try cells.next(), userId: try cells.next(), accessTokenDigest: try cells.next(),
            refreshTokenDigest: try cells.next(), accessExpiresAt: try cells.next(),
            refreshExpiresAt: try cells.next())
    }
}
