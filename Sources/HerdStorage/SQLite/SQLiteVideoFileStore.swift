import Foundation
import GRDB
import HerdCore

struct SQLiteVideoFileStore: VideoFileStore {
    let pool: SQLiteConnections

    func add(
        videoId: Int64, kind: VideoFileKind, resolution: Int, width: Int, height: Int, fps: Double, size: Int64,
        filename: String
    ) async throws -> VideoFile {
        try await pool.write { db in
            // Round-trip the date through its stored form so the returned value equals a later read.
            let now = Date(databaseValue: Date().databaseValue)
            try db.execute(
                sql: """
                    INSERT INTO video_files (video_id, kind, resolution, width, height, fps, size, filename, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [videoId, kind.rawValue, resolution, width, height, fps, size, filename, now.databaseValue]
            )
            return VideoFile(
                id: db.lastInsertedRowID, videoId: videoId, kind: kind, resolution: resolution, width: width,
                height: height, fps: fps, size: size, filename: filename, createdAt: now
            )
        }
    }

    func list(videoId: Int64) async throws -> [VideoFile] {
        try await pool.readHere { db in try Self.files(db, videoId: videoId) }
    }

    static func files(_ db: Database, videoId: Int64) throws -> [VideoFile] {
        try db.cachedStatement(sql: "SELECT * FROM video_files WHERE video_id = ? ORDER BY resolution DESC, id")
            .decodeAll(arguments: [videoId], Self.file)
    }

    static func file(_ row: Row) -> VideoFile {
        VideoFile(
            id: row["id"], videoId: row["video_id"], kind: VideoFileKind(rawValue: row["kind"]) ?? .webVideo,
            resolution: row["resolution"], width: row["width"], height: row["height"], fps: row["fps"],
            size: row["size"], filename: row["filename"], infoHash: row["info_hash"],
            torrentFilename: row["torrent_filename"], createdAt: Date(databaseValue: row["created_at"])
        )
    }

    func setTorrent(fileId: Int64, infoHash: String, torrentFilename: String) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE video_files SET info_hash = ?, torrent_filename = ? WHERE id = ?",
                arguments: [infoHash, torrentFilename, fileId]
            )
        }
    }

    func listTorrents() async throws -> [(file: VideoFile, videoUUID: UUID)] {
        try await pool.readHere { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT video_files.*, videos.uuid AS video_uuid FROM video_files
                        JOIN videos ON videos.id = video_files.video_id
                        WHERE video_files.info_hash IS NOT NULL AND videos.privacy IN (1, 2) ORDER BY video_files.id
                        """
                )
            ).compactMap { row in
                guard let uuid = UUID(uuidString: row["video_uuid"]) else { return nil }
                return (Self.file(row), uuid)
            }
        }
    }

    func deleteAll(videoId: Int64) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM video_files WHERE video_id = ?", arguments: [videoId])
        }
    }
}
