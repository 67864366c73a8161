import Foundation
import HerdCore
import PostgresNIO

struct PostgresMirrorStore: MirrorStore {
    let db: PostgresConnections

    static let columns = "id, video_id, url, base_url, host, expires_at, created_at, updated_at"

    static func decode(_ row: PostgresRow) throws -> VideoMirror {
        var cells = Cells(row)
        return VideoMirror(
            id: try cells.next(), videoId: try cells.next(), url: try cells.next(), baseURL: try cells.next(),
            host: try cells.next(), expiresAt: try cells.next(), createdAt: try cells.next(),
            updatedAt: try cells.next())
    }

    func save(videoId: Int64, url: String, baseURL: String, host: String, expiresAt: Date?) async throws -> VideoMirror
    {
        try await db.query(
            """
            INSERT INTO video_mirrors (video_id, url, base_url, host, expires_at, created_at, updated_at)
            VALUES (\(videoId), \(url), \(baseURL), \(host), \(expiresAt), now(), now())
            ON CONFLICT (url) DO UPDATE SET base_url = excluded.base_url, expires_at = excluded.expires_at,
                updated_at = excluded.updated_at
            WHERE video_mirrors.video_id = excluded.video_id
            """)
        return try Self.decode(
            try await db.query("SELECT \(unescaped: Self.columns) FROM video_mirrors WHERE url = \(url)")[0])
    }

    func list(videoId: Int64, now: Date) async throws -> [VideoMirror] {
        try await Self.mirrors(db, videoId: videoId, now: now)
    }

    static func mirrors(_ db: PostgresConnections, videoId: Int64, now: Date) async throws -> [VideoMirror] {
        try await db.query(
            """
            SELECT \(unescaped: columns) FROM video_mirrors
            WHERE video_id = \(videoId) AND (expires_at IS NULL OR expires_at > \(now)) ORDER BY id
            """
        ).map(decode)
    }

    func all(now: Date) async throws -> [VideoMirror] {
        try await db.query(
            """
            SELECT \(unescaped: Self.columns) FROM video_mirrors WHERE expires_at IS NULL OR expires_at > \(now)
            ORDER BY id
            """
        ).map(Self.decode)
    }

    func find(url: String) async throws -> VideoMirror? {
        try await db.first("SELECT \(unescaped: Self.columns) FROM video_mirrors WHERE url = \(url)").map(Self.decode)
    }

    func delete(url: String) async throws {
        try await db.query("DELETE FROM video_mirrors WHERE url = \(url)")
    }
}
