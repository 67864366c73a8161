import Foundation
import HerdCore
import PostgresNIO

struct PostgresMirrorCopyStore: MirrorCopyStore {
    let db: PostgresConnections

    static let columns = "id, video_id, strategy, state, size, expires_at, verified_at, created_at, updated_at"

    static func decode(_ row: PostgresRow) throws -> MirrorCopy {
        var cells = Cells(row)
        let id: Int64 = try cells.next()
        let videoId: Int64 = try cells.next()
        let strategy = RedundancyStrategy(rawValue: try cells.next()) ?? .manual
        let state = MirrorCopy.State(rawValue: try cells.next()) ?? .copying
        return MirrorCopy(
            id: id, videoId: videoId, strategy: strategy, state: state, size: try cells.next(),
            expiresAt: try cells.next(), verifiedAt: try cells.next(), createdAt: try cells.next(),
            updatedAt: try cells.next())
    }

    func create(videoId: Int64, strategy: RedundancyStrategy, now: Date) async throws -> MirrorCopy? {
        try await db.first(
            """
            INSERT INTO mirror_copies (video_id, strategy, state, created_at, updated_at)
            VALUES (\(videoId), \(strategy.rawValue), 'copying', \(now), \(now)) ON CONFLICT (video_id) DO NOTHING
            RETURNING \(unescaped: Self.columns)
            """
        ).map(Self.decode)
    }

    func find(id: Int64) async throws -> MirrorCopy? {
        try await db.first("SELECT \(unescaped: Self.columns) FROM mirror_copies WHERE id = \(id)").map(Self.decode)
    }

    func find(videoId: Int64) async throws -> MirrorCopy? {
        try await db.first("SELECT \(unescaped: Self.columns) FROM mirror_copies WHERE video_id = \(videoId)").map(
            Self.decode)
    }

    func list() async throws -> [MirrorCopy] {
        try await db.query("SELECT \(unescaped: Self.columns) FROM mirror_copies ORDER BY id").map(Self.decode)
    }

    func markReady(id: Int64, size: Int64, expiresAt: Date, now: Date) async throws {
        try await db.query(
            """
            UPDATE mirror_copies SET state = 'ready', size = \(size), expires_at = \(expiresAt), verified_at = \(now),
                updated_at = \(now)
            WHERE id = \(id)
            """)
    }

    func renew(id: Int64, expiresAt: Date, now: Date) async throws {
        try await db.query("UPDATE mirror_copies SET expires_at = \(expiresAt), updated_at = \(now) WHERE id = \(id)")
    }

    func markVerified(id: Int64, at: Date) async throws {
        try await db.query("UPDATE mirror_copies SET verified_at = \(at) WHERE id = \(id)")
    }

    func delete(id: Int64) async throws {
        try await db.query("DELETE FROM mirror_copies WHERE id = \(id)")
    }

    func candidates() async throws -> [MirrorCandidate] {
        // Remote public videos; the partial index `videos_remote` keeps local videos out of the read.
        try await db.query(
            """
            SELECT id, url, views, published_at, remote FROM videos
            WHERE remote IS NOT NULL AND url IS NOT NULL AND privacy = \(VideoPrivacy.public.rawValue)
                AND state = \(VideoState.published.rawValue)
            """
        ).compactMap { row -> MirrorCandidate? in
            let (id, url, views, publishedAt, remote) = try row.decode((Int64, String, Int, Date, String).self)
            guard let source = try RemoteVideoSource.decode(stored: remote), !source.hlsFiles.isEmpty else {
                return nil
            }
            let size = source.hlsFiles.reduce(Int64(0)) { $0 + $1.size }
            return MirrorCandidate(
                video: RedundancyVideo(videoId: id, views: views, publishedAt: publishedAt, size: size), url: url)
        }
    }
}
