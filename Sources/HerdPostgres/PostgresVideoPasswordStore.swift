import Foundation
import HerdCore
import PostgresNIO

struct PostgresVideoPasswordStore: VideoPasswordStore {
    let db: PostgresConnections

    func list(videoId: Int64) async throws -> [VideoPassword] {
        try await db.query(
            """
            SELECT id, video_id, password, created_at, updated_at FROM video_passwords WHERE video_id = \(videoId)
            ORDER BY id
            """
        ).map { row in
            var cells = Cells(row)
            return VideoPassword(
                id: try cells.next(), videoId: try cells.next(), password: try cells.next(),
                createdAt: try cells.next(), updatedAt: try cells.next())
        }
    }

    func replace(videoId: Int64, with passwords: [String], now: Date) async throws {
        try await db.transaction {
            try await db.query("DELETE FROM video_passwords WHERE video_id = \(videoId)")
            try await db.query(
                """
                INSERT INTO video_passwords (video_id, password, created_at, updated_at)
                SELECT \(videoId), p, \(now), \(now) FROM unnest(\(passwords)) WITH ORDINALITY AS t(p, n) ORDER BY n
                """)
        }
    }

    func delete(id: Int64, videoId: Int64) async throws -> Bool {
        try await !db.query("DELETE FROM video_passwords WHERE id = \(id) AND video_id = \(videoId) RETURNING 1")
            .isEmpty
    }

    func contains(videoId: Int64, password: String) async throws -> Bool {
        try await db.query(
            "SELECT EXISTS (SELECT 1 FROM video_passwords WHERE video_id = \(videoId) AND password = \(password))"
        )[0].decode(Bool.self)
    }
}
