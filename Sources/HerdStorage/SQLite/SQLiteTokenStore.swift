import Foundation
import GRDB
import HerdCore

struct SQLiteTokenStore: TokenStore {
    let pool: SQLiteConnections

    func localClient(orCreate make: @escaping @Sendable () -> OAuthClient) async throws -> OAuthClient {
        try await pool.write { db in
            if let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT client_id, client_secret FROM oauth_clients WHERE id = 1"))
            {
                return OAuthClient(clientId: row["client_id"], clientSecret: row["client_secret"])
            }
            let client = make()
            try db.execute(
                sql: "INSERT INTO oauth_clients (id, client_id, client_secret) VALUES (1, ?, ?)",
                arguments: [client.clientId, client.clientSecret]
            )
            return client
        }
    }

    func insert(
        userId: Int64, accessTokenDigest: String, refreshTokenDigest: String, accessExpiresAt: Date,
        refreshExpiresAt: Date
    ) async throws -> OAuthToken {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO oauth_tokens (user_id, access_digest, refresh_digest, access_expires_at, refresh_expires_at)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [
                    userId, accessTokenDigest, refreshTokenDigest, accessExpiresAt.databaseValue,
                    refreshExpiresAt.databaseValue,
                ]
            )
            return OAuthToken(
                id: db.lastInsertedRowID, userId: userId, accessTokenDigest: accessTokenDigest,
                refreshTokenDigest: refreshTokenDigest, accessExpiresAt: accessExpiresAt,
                refreshExpiresAt: refreshExpiresAt
            )
        }
    }

    func find(accessTokenDigest: String) async throws -> OAuthToken? {
        try await pool.readHere { db in try Self.find(db, accessTokenDigest: accessTokenDigest) }
    }

    static func find(_ db: Database, accessTokenDigest: String) throws -> OAuthToken? {
        try db.cachedStatement(sql: "SELECT * FROM oauth_tokens WHERE access_digest = ?").decodeOne(
            arguments: [accessTokenDigest], token(row:))
    }

    func findWithUser(accessTokenDigest: String) async throws -> (token: OAuthToken, user: User)? {
        try await pool.readHere { db in
            guard let token = try Self.find(db, accessTokenDigest: accessTokenDigest),
                let user = try SQLiteUserStore.find(db, id: token.userId)
            else { return nil }
            return (token, user)
        }
    }

    func find(refreshTokenDigest: String) async throws -> OAuthToken? {
        try await pool.readHere { db in
            try db.cachedStatement(sql: "SELECT * FROM oauth_tokens WHERE refresh_digest = ?").decodeOne(
                arguments: [refreshTokenDigest], Self.token(row:))
        }
    }

    func delete(id: Int64) async throws {
        try await pool.write { db in try db.execute(sql: "DELETE FROM oauth_tokens WHERE id = ?", arguments: [id]) }
    }

    func deleteAll(userId: Int64) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM oauth_tokens WHERE user_id = ?", arguments: [userId])
        }
    }

    func deleteAll(userId: Int64, except kept: Int64?) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "DELETE FROM oauth_tokens WHERE user_id = ? AND id IS NOT ?", arguments: [userId, kept])
        }
    }

    func purge(expiredBefore date: Date) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "DELETE FROM oauth_tokens WHERE refresh_expires_at < ?", arguments: [date.databaseValue]
            )
        }
    }

    static func token(row: Row) -> OAuthToken {
        OAuthToken(
            id: row["id"], userId: row["user_id"], accessTokenDigest: row["access_digest"],
            refreshTokenDigest: row["refresh_digest"], accessExpiresAt: Date(databaseValue: row["access_expires_at"]),
            refreshExpiresAt: Date(databaseValue: row["refresh_expires_at"])
        )
    }
}
