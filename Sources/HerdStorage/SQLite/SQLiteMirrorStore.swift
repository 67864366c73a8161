import Foundation
import GRDB
import HerdCore

struct SQLiteMirrorStore: MirrorStore {
    let pool: SQLiteConnections

    static func decode(_ row: Row) -> VideoMirror {
        let expires: Double? = row["expires_at"]
        return VideoMirror(
            id: row["id"], videoId: row["video_id"], url: row["url"], baseURL: row["base_url"], host: row["host"],
            expiresAt: expires.map(Date.init(databaseValue:)), createdAt: Date(databaseValue: row["created_at"]),
            updatedAt: Date(databaseValue: row["updated_at"]))
    }

    func save(videoId: Int64, url: String, baseURL: String, host: String, expiresAt: Date?) async throws -> VideoMirror
    {
        try await pool.write { db in
            let now = Date().databaseValue
            try db.execute(
                sql: """
                    INSERT INTO video_mirrors (video_id, url, base_url, host, expires_at, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (url) DO UPDATE SET base_url = excluded.base_url, expires_at = excluded.expires_at,
                        updated_at = excluded.updated_at
                    WHERE video_mirrors.video_id = excluded.video_id
                    """,
                arguments: [videoId, url, baseURL, host, expiresAt?.databaseValue, now, now])
            return Self.decode(
                try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT * FROM video_mirrors WHERE url = ?"), arguments: [url])!)
        }
    }

    func list(videoId: Int64, now: Date) async throws -> [VideoMirror] {
        try await pool.readHere { db in try Self.mirrors(db, videoId: videoId, now: now) }
    }

    static func mirrors(_ db: Database, videoId: Int64, now: Date) throws -> [VideoMirror] {
        try db.cachedStatement(
            sql: """
                SELECT * FROM video_mirrors WHERE video_id = ? AND (expires_at IS NULL OR expires_at > ?)
                ORDER BY id
                """
        ).decodeAll(arguments: [videoId, now.databaseValue], Self.decode)
    }

    func all(now: Date) async throws -> [VideoMirror] {
        try await pool.readHere { db in
            try db.cachedStatement(
                sql: "SELECT * FROM video_mirrors WHERE expires_at IS NULL OR expires_at > ? ORDER BY id"
            ).decodeAll(arguments: [now.databaseValue], Self.decode)
        }
    }

    func find(url: String) async throws -> VideoMirror? {
        try await pool.readHere { db in
            try db.cachedStatement(sql: "SELECT * FROM video_mirrors WHERE url = ?").decodeOne(
                arguments: [url], Self.decode)
        }
    }

    func delete(url: String) async throws {
        try await pool.write { db in try db.execute(sql: "DELETE FROM video_mirrors WHERE url = ?", arguments: [url]) }
    }
}
