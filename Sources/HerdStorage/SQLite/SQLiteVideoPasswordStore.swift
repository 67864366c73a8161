import Foundation
import GRDB
import HerdCore

struct SQLiteVideoPasswordStore: VideoPasswordStore {
    let pool: SQLiteConnections

    func list(videoId: Int64) async throws -> [VideoPassword] {
        try await pool.readHere { db in
            try Row.fetchAll(
                db.cachedStatement(sql: "SELECT * FROM video_passwords WHERE video_id = ? ORDER BY id"),
                arguments: [videoId]
            ).map { row in
                VideoPassword(
                    id: row["id"], videoId: row["video_id"], password: row["password"],
                    createdAt: Date(timeIntervalSince1970: row["created_at"]),
                    updatedAt: Date(timeIntervalSince1970: row["updated_at"]))
            }
        }
    }

    func replace(videoId: Int64, with passwords: [String], now: Date) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM video_passwords WHERE video_id = ?", arguments: [videoId])
            for password in passwords {
                try db.execute(
                    sql: "INSERT INTO video_passwords (video_id, password, created_at, updated_at) VALUES (?, ?, ?, ?)",
                    arguments: [videoId, password, now.timeIntervalSince1970, now.timeIntervalSince1970])
            }
        }
    }

    func delete(id: Int64, videoId: Int64) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: "DELETE FROM video_passwords WHERE id = ? AND video_id = ?", arguments: [id, videoId])
            return db.changesCount > 0
        }
    }

    func contains(videoId: Int64, password: String) async throws -> Bool {
        try await pool.readHere { db in
            try Bool.fetchOne(
                db.cachedStatement(
                    sql: "SELECT EXISTS (SELECT 1 FROM video_passwords WHERE video_id = ? AND password = ?)"),
                arguments: [videoId, password]) ?? false
        }
    }
}
