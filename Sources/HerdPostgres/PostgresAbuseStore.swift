import Foundation
import HerdCore
import PostgresNIO

struct PostgresAbuseStore: AbuseStore {
    let db: PostgresConnections

    static let columns =
        "id, url, reporter_account_id, video_id, comment_id, flagged_account_id, reason, state, created_at"

    static func decode(_ row: PostgresRow) throws -> Abuse {
        var cells = Cells(row)
        let id: Int64 = try cells.next()
        let url: String? = try cells.next()
        let reporter: Int64? = try cells.next()
        let video: Int64? = try cells.next()
        let comment: Int64? = try cells.next()
        let flagged: Int64? = try cells.next()
        let reason: String = try cells.next()
        return Abuse(
            id: id, url: url, reporterAccountId: reporter, videoId: video, commentId: comment,
            flaggedAccountId: flagged, reason: reason, state: Abuse.State(rawValue: try cells.next()) ?? .pending,
            createdAt: try cells.next())
    }

    func create(_ new: NewAbuse) async throws -> Abuse {
        // A Flag received twice (same url) is one report.
        if let row = try await db.first(
            """
            INSERT INTO abuses (url, reporter_account_id, video_id, comment_id, flagged_account_id, reason, created_at)
            VALUES (\(new.url), \(new.reporterAccountId), \(new.videoId), \(new.commentId), \(new.flaggedAccountId),
                \(new.reason), now())
            ON CONFLICT (url) DO NOTHING
            RETURNING \(unescaped: Self.columns)
            """)
        {
            return try Self.decode(row)
        }
        return try Self.decode(
            try await db.query("SELECT \(unescaped: Self.columns) FROM abuses WHERE url = \(new.url)")[0])
    }

    func list(pagination: Pagination) async throws -> Page<Abuse> {
        let total = try await db.query("SELECT COUNT(*) FROM abuses")[0].decode(Int.self)
        let rows = try await db.query(
            """
            SELECT \(unescaped: Self.columns) FROM abuses ORDER BY id DESC
            LIMIT \(pagination.count) OFFSET \(pagination.start)
            """
        ).map(Self.decode)
        return Page(total: total, data: rows)
    }
}
