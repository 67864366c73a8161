import Foundation
import GRDB
import HerdCore

struct SQLiteUploadStore: UploadStore {
    let pool: SQLiteConnections

    func insert(_ session: UploadSession) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO upload_sessions (id, user_id, channel_id, filename, mime_type, total_size, metadata,
                        created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    session.id, session.userId, session.channelId, session.filename, session.mimeType,
                    session.totalSize, session.metadata, session.createdAt.databaseValue,
                    session.updatedAt.databaseValue,
                ]
            )
        }
    }

    func find(id: String) async throws -> UploadSession? {
        try await pool.readHere { db in
            try db.cachedStatement(sql: "SELECT * FROM upload_sessions WHERE id = ?").decodeOne(
                arguments: [id], Self.session(row:))
        }
    }

    func findResumable(userId: Int64, filename: String, totalSize: Int64) async throws -> UploadSession? {
        try await pool.readHere { db in
            try db.cachedStatement(
                sql: """
                    SELECT * FROM upload_sessions WHERE user_id = ? AND filename = ? AND total_size = ?
                    ORDER BY updated_at DESC LIMIT 1
                    """
            ).decodeOne(arguments: [userId, filename, totalSize], Self.session(row:))
        }
    }

    func touch(id: String, at date: Date) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE upload_sessions SET updated_at = ? WHERE id = ?", arguments: [date.databaseValue, id]
            )
        }
    }

    func delete(id: String) async throws {
        try await pool.write { db in try db.execute(sql: "DELETE FROM upload_sessions WHERE id = ?", arguments: [id]) }
    }

    func list(idleSince date: Date) async throws -> [UploadSession] {
        try await pool.readHere { db in
            try db.cachedStatement(sql: "SELECT * FROM upload_sessions WHERE updated_at < ?").decodeAll(
                arguments: [date.databaseValue], Self.session(row:))
        }
    }

    func reservedBytes(userId: Int64, excluding id: String?) async throws -> Int64 {
        try await pool.readHere { db in
            try Int64.fetchOne(
                db.cachedStatement(
                    sql: "SELECT COALESCE(SUM(total_size), 0) FROM upload_sessions WHERE user_id = ? AND id <> ?"),
                arguments: [userId, id ?? ""]
            ) ?? 0
        }
    }

    static func session(row: Row) -> UploadSession {
        UploadSession(
            id: row["id"], userId: row["user_id"], channelId: row["channel_id"], filename: row["filename"],
            mimeType: row["mime_type"], totalSize: row["total_size"], metadata: row["metadata"],
            createdAt: Date(databaseValue: row["created_at"]), updatedAt: Date(databaseValue: row["updated_at"])
        )
    }
}
