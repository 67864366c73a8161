import Foundation
import GRDB
import HerdCore

struct SQLiteCommentStore: CommentStore {
    let pool: SQLiteConnections

    static let select = """
        SELECT m.id, m.url, m.video_id, m.thread_id, m.in_reply_to, m.account_id, m.text, m.held, m.created_at,
            m.updated_at, m.deleted_at,
            (SELECT COUNT(*) FROM comments r WHERE r.thread_id = m.id AND r.id <> m.id AND r.held = 0) AS replies,
            \(Columns.account)
        FROM comments m LEFT JOIN accounts a ON a.id = m.account_id
        """

    static func decode(_ row: Row) -> CommentWithAuthor {
        let deleted: Double? = row[10]
        let comment = Comment(
            id: row[0], url: row[1], videoId: row[2], threadId: row[3], inReplyToCommentId: row[4], accountId: row[5],
            text: row[6], heldForReview: row[7], createdAt: Date(databaseValue: row[8]),
            updatedAt: Date(databaseValue: row[9]), deletedAt: deleted.map(Date.init(databaseValue:)))
        let hasAccount = (row[12] as Int64?) != nil
        return CommentWithAuthor(
            comment: comment, account: hasAccount ? Account(row: row, at: 12) : nil, totalReplies: row[11])
    }

    func create(_ new: NewComment) async throws -> Comment {
        try await pool.write { db in
            let now = Date().databaseValue
            let created = new.createdAt?.databaseValue ?? now
            try DatabaseError.mapConstraint("this comment already exists") {
                try db.execute(
                    sql: """
                        INSERT INTO comments (url, video_id, thread_id, in_reply_to, account_id, text, held, created_at,
                            updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        new.url, new.videoId, new.inReplyTo?.threadId ?? 0, new.inReplyTo?.id, new.accountId, new.text,
                        new.heldForReview, created, now,
                    ])
            }
            let id = db.lastInsertedRowID
            // A root is its own thread.
            if new.inReplyTo == nil {
                try db.execute(sql: "UPDATE comments SET thread_id = ? WHERE id = ?", arguments: [id, id])
            }
            return Comment(
                id: id, url: new.url, videoId: new.videoId, threadId: new.inReplyTo?.threadId ?? id,
                inReplyToCommentId: new.inReplyTo?.id, accountId: new.accountId, text: new.text,
                heldForReview: new.heldForReview, createdAt: Date(databaseValue: created),
                updatedAt: Date(databaseValue: now), deletedAt: nil)
        }
    }

    func find(id: Int64) async throws -> CommentWithAuthor? {
        try await pool.readHere { db in
            try db.cachedStatement(sql: Self.select + " WHERE m.id = ?").decodeOne(arguments: [id], Self.decode)
        }
    }

    func find(url: String) async throws -> CommentWithAuthor? {
        try await pool.readHere { db in
            try db.cachedStatement(sql: Self.select + " WHERE m.url = ?").decodeOne(arguments: [url], Self.decode)
        }
    }

    /// Held comments show to their author and, with `includeHeld`, to the video's owner.
    static func visibility(viewerAccountId: Int64?, includeHeld: Bool) -> (sql: String, arguments: [Int64]) {
        if includeHeld { return ("1", []) }
        if let viewerAccountId { return ("(m.held = 0 OR m.account_id = ?)", [viewerAccountId]) }
        return ("m.held = 0", [])
    }

    func threads(videoId: Int64, pagination: Pagination, sort: CommentSort, viewerAccountId: Int64?, includeHeld: Bool)
        async throws -> Page<CommentWithAuthor>
    {
        let visible = Self.visibility(viewerAccountId: viewerAccountId, includeHeld: includeHeld)
        let order =
            switch sort {
            case .createdAt(let descending): "m.created_at \(descending ? "DESC" : "ASC"), m.id"
            case .totalReplies(let descending): "replies \(descending ? "DESC" : "ASC"), m.created_at DESC, m.id"
            }
        let condition = " WHERE m.video_id = ? AND m.in_reply_to IS NULL AND \(visible.sql)"
        let arguments = StatementArguments([videoId]) + StatementArguments(visible.arguments)
        let pageArguments = arguments + [pagination.count, pagination.start]
        return try await pool.readHere { db in
            let total =
                try Int.fetchOne(
                    db.cachedStatement(sql: "SELECT COUNT(*) FROM comments m" + condition), arguments: arguments) ?? 0
            let rows = try Row.fetchAll(
                db.cachedStatement(sql: Self.select + condition + " ORDER BY \(order) LIMIT ? OFFSET ?"),
                arguments: pageArguments)
            return Page(total: total, data: rows.map(Self.decode))
        }
    }

    func thread(id: Int64, viewerAccountId: Int64?, includeHeld: Bool) async throws -> [CommentWithAuthor] {
        let visible = Self.visibility(viewerAccountId: viewerAccountId, includeHeld: includeHeld)
        return try await pool.readHere { db in
            try db.cachedStatement(
                sql: Self.select + " WHERE m.thread_id = ? AND \(visible.sql) ORDER BY m.created_at, m.id"
            ).decodeAll(arguments: StatementArguments([id]) + StatementArguments(visible.arguments), Self.decode)
        }
    }

    func links(videoId: Int64, start: Int, count: Int) async throws -> Page<CommentLink> {
        try await pool.readHere { db in
            let total =
                try Int.fetchOne(
                    db.cachedStatement(sql: "SELECT COUNT(*) FROM comments WHERE video_id = ? AND held = 0"),
                    arguments: [videoId]) ?? 0
            let rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: "SELECT id, url FROM comments WHERE video_id = ? AND held = 0 ORDER BY id LIMIT ? OFFSET ?"),
                arguments: [videoId, count, start])
            return Page(total: total, data: rows.map { CommentLink(id: $0[0], url: $0[1]) })
        }
    }

    func countVisible(videoId: Int64) async throws -> Int {
        try await pool.readHere { db in
            try Int.fetchOne(
                db.cachedStatement(
                    sql: "SELECT COUNT(*) FROM comments WHERE video_id = ? AND deleted_at IS NULL AND held = 0"),
                arguments: [videoId]) ?? 0
        }
    }

    func markDeleted(id: Int64, at date: Date) async throws {
        try await pool.write { db in
            try db.execute(
                sql:
                    "UPDATE comments SET text = '', deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL",
                arguments: [date.databaseValue, date.databaseValue, id])
        }
    }

    func updateText(id: Int64, text: String, at date: Date) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE comments SET text = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL",
                arguments: [text, date.databaseValue, id])
        }
    }

    func approve(id: Int64) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE comments SET held = 0, updated_at = ? WHERE id = ?", arguments: [Date().databaseValue, id])
        }
    }
}
