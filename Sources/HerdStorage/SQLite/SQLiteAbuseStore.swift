import Foundation
import GRDB
import HerdCore

struct SQLiteAbuseStore: AbuseStore {
    let pool: SQLiteConnections

    static func decode(_ row: Row) -> Abuse {
        Abuse(
            id: row["id"], url: row["url"], reporterAccountId: row["reporter_account_id"], videoId: row["video_id"],
            commentId: row["comment_id"], flaggedAccountId: row["flagged_account_id"], reason: row["reason"],
            state: Abuse.State(rawValue: row["state"]) ?? .pending, createdAt: Date(databaseValue: row["created_at"]))
    }

    func create(_ new: NewAbuse) async throws -> Abuse {
        try await pool.write { db in
            if let url = new.url,
                let known = try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT * FROM abuses WHERE url = ?"), arguments: [url])
            {
                return Self.decode(known)
            }
            try db.execute(
                sql: """
                    INSERT INTO abuses (url, reporter_account_id, video_id, comment_id, flagged_account_id, reason,
                        created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    new.url, new.reporterAccountId, new.videoId, new.commentId, new.flaggedAccountId, new.reason,
                    Date().databaseValue,
                ])
            return Self.decode(
                try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT * FROM abuses WHERE id = ?"), arguments: [db.lastInsertedRowID])!)
        }
    }

    func list(pagination: Pagination) async throws -> Page<Abuse> {
        try await pool.readHere { db in
            let total = try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM abuses")) ?? 0
            let rows = try Row.fetchAll(
                db.cachedStatement(sql: "SELECT * FROM abuses ORDER BY id DESC LIMIT ? OFFSET ?"),
                arguments: [pagination.count, pagination.start])
            return Page(total: total, data: rows.map(Self.decode))
        }
    }
}
