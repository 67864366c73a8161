import Foundation
import HerdCore
import PostgresNIO

struct PostgresUploadStore: UploadStore {
    let db: PostgresConnections

    static let columns = "id, user_id, channel_id, filename, mime_type, total_size, metadata, created_at, updated_at"

    func insert(_ session: UploadSession) async throws {
        try await db.query(
            """
            INSERT INTO upload_sessions (id, user_id, channel_id, filename, mime_type, total_size, metadata, created_at,
                updated_at)
            VALUES (\(session.id), \(session.userId), \(session.channelId), \(session.filename), \(session.mimeType),
                \(session.totalSize), \(session.metadata), \(session.createdAt), \(session.updatedAt))
            """)
    }

    func find(id: String) async throws -> UploadSession? {
        try await db.first("SELECT \(unescaped: Self.columns) FROM upload_sessions WHERE id = \(id)").map(Self.session)
    }

    func findResumable(userId: Int64, filename: String, totalSize: Int64) async throws -> UploadSession? {
        try await db.first(
            """
            SELECT \(unescaped: Self.columns) FROM upload_sessions
            WHERE user_id = \(userId) AND filename = \(filename) AND total_size = \(totalSize)
            ORDER BY updated_at DESC LIMIT 1
            """
        ).map(Self.session)
    }

    func touch(id: String, at date: Date) async throws {
        try await db.query("UPDATE upload_sessions SET updated_at = \(date) WHERE id = \(id)")
    }

    func delete(id: String) async throws {
        try await db.query("DELETE FROM upload_sessions WHERE id = \(id)")
    }

    func list(idleSince date: Date) async throws -> [UploadSession] {
        try await db.query("SELECT \(unescaped: Self.columns) FROM upload_sessions WHERE updated_at < \(date)").map(
            Self.session)
    }

    func reservedBytes(userId: Int64, excluding id: String?) async throws -> Int64 {
        try await db.query(
            """
            SELECT COALESCE(SUM(total_size), 0)::bigint FROM upload_sessions
            WHERE user_id = \(userId) AND id <> \(id ?? "")
            """
        )[0].decode(Int64.self)
    }

    static func session(_ row: PostgresRow) throws -> UploadSession {
        var cells = Cells(row)
        return UploadSession(
            id: try cells.next(), userId: try cells.next(), channelId: try cells.next(), filename: try cells.next(),
            mimeType: try cells.next(), totalSize: try cells.next(), metadata: try cells.next(),
            createdAt: try cells.next(), updatedAt: try cells.next())
    }
}
