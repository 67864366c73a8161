import Foundation
import HerdCore
import PostgresNIO

struct PostgresVideoFileStore: VideoFileStore {
    let db: PostgresConnections

    static let columns = """
        f.id, f.video_id, f.kind, f.resolution, f.width, f.height, f.fps, f.size, f.filename, f.info_hash,
        f.torrent_filename, f.created_at
        """

    func add(
        videoId: Int64, kind: VideoFileKind, resolution: Int, width: Int, height: Int, fps: Double, size: Int64,
        filename: String
    ) async throws -> VideoFile {
        try Self.file(
            try await db.query(
                """
                INSERT INTO video_files AS f (video_id, kind, resolution, width, height, fps, size, filename, created_at)
                VALUES (\(videoId), \(kind.rawValue), \(resolution), \(width), \(height), \(fps), \(size), \(filename),
                    now())
                RETURNING \(unescaped: Self.columns)
                """)[0])
    }

    func list(videoId: Int64) async throws -> [VideoFile] {
        try await Self.files(db, videoId: videoId)
    }

    static func files(_ db: PostgresConnections, videoId: Int64) async throws -> [VideoFile] {
        try await db.query(
            "SELECT \(unescaped: columns) FROM video_files f WHERE f.video_id = \(videoId) ORDER BY f.resolution DESC, f.id"
        ).map(file)
    }

    static func file(_ row: PostgresRow) throws -> VideoFile {
        var cells = Cells(row)
        return try file(cells: &cells)
    }

    static func file(cells: inout Cells) throws -> VideoFile {
        let id: Int64 = try cells.next()
        let videoId: Int64 = try cells.next()
        let kind = VideoFileKind(rawValue: try cells.next()) ?? .webVideo
        return VideoFile(
            id: id, videoId: videoId, kind: kind, resolution: try cells.next(), width: try cells.next(),
            height: try cells.next(), fps: try cells.next(), size: try cells.next(), filename: try cells.next(),
            infoHash: try cells.next(), torrentFilename: try cells.next(), createdAt: try cells.next())
    }

    func setTorrent(fileId: Int64, infoHash: String, torrentFilename: String) async throws {
        try await db.query(
            "UPDATE video_files SET info_hash = \(infoHash), torrent_filename = \(torrentFilename) WHERE id = \(fileId)"
        )
    }

    func listTorrents() async throws -> [(file: VideoFile, videoUUID: UUID)] {
        try await db.query(
            """
            SELECT \(unescaped: Self.columns), v.uuid FROM video_files f JOIN videos v ON v.id = f.video_id
            WHERE f.info_hash IS NOT NULL AND v.privacy IN (1, 2) ORDER BY f.id
            """
        ).map { row in
            var cells = Cells(row)
            let file = try Self.file(cells: &cells)
            return (file, try cells.next(UUID.self))
        }
    }

    func deleteAll(videoId: Int64) async throws {
        try await db.query("DELETE FROM video_files WHERE video_id = \(videoId)")
    }
}
