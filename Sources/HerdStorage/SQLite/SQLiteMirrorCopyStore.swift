import Foundation
import GRDB
import HerdCore

struct SQLiteMirrorCopyStore: MirrorCopyStore {
    let pool: SQLiteConnections

    static func decode(_ row: Row) -> MirrorCopy {
        let expires: Double? = row["expires_at"]
        let verified: Double? = row["verified_at"]
        return MirrorCopy(
            id: row["id"], videoId: row["video_id"],
            strategy: RedundancyStrategy(rawValue: row["strategy"]) ?? .manual,
            state: MirrorCopy.State(rawValue: row["state"]) ?? .copying, size: row["size"],
            expiresAt: expires.map(Date.init(databaseValue:)), verifiedAt: verified.map(Date.init(databaseValue:)),
            createdAt: Date(databaseValue: row["created_at"]), updatedAt: Date(databaseValue: row["updated_at"]))
    }

    func create(videoId: Int64, strategy: RedundancyStrategy, now: Date) async throws -> MirrorCopy? {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO mirror_copies (video_id, strategy, state, created_at, updated_at)
                    VALUES (?, ?, 'copying', ?, ?) ON CONFLICT (video_id) DO NOTHING
                    """,
                arguments: [videoId, strategy.rawValue, now.databaseValue, now.databaseValue])
            guard db.changesCount > 0 else { return nil }
            return Self.decode(
                try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT * FROM mirror_copies WHERE id = ?"),
                    arguments: [db.lastInsertedRowID])!
            )
        }
    }

    func find(id: Int64) async throws -> MirrorCopy? {
        try await pool.readHere { db in
            try db.cachedStatement(sql: "SELECT * FROM mirror_copies WHERE id = ?").decodeOne(
                arguments: [id], Self.decode)
        }
    }

    func find(videoId: Int64) async throws -> MirrorCopy? {
        try await pool.readHere { db in
            try db.cachedStatement(sql: "SELECT * FROM mirror_copies WHERE video_id = ?").decodeOne(
                arguments: [videoId], Self.decode)
        }
    }

    func list() async throws -> [MirrorCopy] {
        try await pool.readHere { db in
            try db.cachedStatement(sql: "SELECT * FROM mirror_copies ORDER BY id").decodeAll(Self.decode)
        }
    }

    func markReady(id: Int64, size: Int64, expiresAt: Date, now: Date) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE mirror_copies SET state = 'ready', size = ?, expires_at = ?, verified_at = ?, updated_at = ?
                    WHERE id = ?
                    """,
                arguments: [size, expiresAt.databaseValue, now.databaseValue, now.databaseValue, id])
        }
    }

    func renew(id: Int64, expiresAt: Date, now: Date) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE mirror_copies SET expires_at = ?, updated_at = ? WHERE id = ?",
                arguments: [expiresAt.databaseValue, now.databaseValue, id])
        }
    }

    func markVerified(id: Int64, at: Date) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE mirror_copies SET verified_at = ? WHERE id = ?", arguments: [at.databaseValue, id])
        }
    }

    func delete(id: Int64) async throws {
        try await pool.write { db in try db.execute(sql: "DELETE FROM mirror_copies WHERE id = ?", arguments: [id]) }
    }

    /// Remote public videos; the partial index `videos_remote` keeps local videos out of the read.
    static let candidatesSQL = """
        SELECT id, url, views, published_at, remote FROM videos
        WHERE remote IS NOT NULL AND url IS NOT NULL AND privacy = ? AND state = ?
        """

    func candidates() async throws -> [MirrorCandidate] {
        try await pool.readHere { db in
            try Row.fetchAll(
                db.cachedStatement(sql: Self.candidatesSQL),
                arguments: [VideoPrivacy.public.rawValue, VideoState.published.rawValue]
            ).compactMap { row -> MirrorCandidate? in
                guard let text: String = row["remote"],
                    let source = try? JSONDecoder().decode(RemoteVideoSource.self, from: Data(text.utf8)),
                    !source.hlsFiles.isEmpty
                else { return nil }
                let size = source.hlsFiles.reduce(Int64(0)) { $0 + $1.size }
                return MirrorCandidate(
                    video: RedundancyVideo(
                        videoId: row["id"], views: row["views"], publishedAt: Date(databaseValue: row["published_at"]),
                        size: size),
                    url: row["url"])
            }
        }
    }
}
