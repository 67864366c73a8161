import Foundation
import HerdCore
import PostgresNIO

struct PostgresCommentStore: CommentStore {
    let db: PostgresConnections

    static let columns =
        "id, url, video_id, thread_id, in_reply_to, account_id, text, held, created_at, updated_at, deleted_at"

    static let select = """
        SELECT m.id, m.url, m.video_id, m.thread_id, m.in_reply_to, m.account_id, m.text, m.held, m.created_at,
            m.updated_at, m.deleted_at,
            (SELECT COUNT(*) FROM comments r WHERE r.thread_id = m.id AND r.id <> m.id AND NOT r.held) AS replies,
            \(Columns.account)
        FROM comments m LEFT JOIN accounts a ON a.id = m.account_id
        """

    static func comment(cells: inout Cells) throws -> Comment {
        Comment(
            id: try cells.next(), url: try cells.next(), videoId: try cells.next(), threadId: try cells.next(),
            inReplyToCommentId: try cells.next(), accountId: try cells.next(), text: try cells.next(),
            heldForReview: try cells.next(), createdAt: try cells.next(), updatedAt: try cells.next(),
            deletedAt: try cells.next())
    }

    static func decode(_ row: PostgresRow) throws -> CommentWithAuthor {
        var cells = Cells(row)
        let comment = try comment(cells: &cells)
        let replies: Int = try cells.next()
        let account = comment.accountId == nil ? nil : try Account(cells: &cells)
        return CommentWithAuthor(comment: comment, account: account, totalReplies: replies)
    }

    func create(_ new: NewComment) async throws -> Comment {
        try await db.mapUnique("this comment already exists") {
            // A root is its own thread: its id is drawn first so the row is whole when written.
            var cells = Cells(
                try await db.query(
                    """
                    WITH next AS (SELECT nextval(pg_get_serial_sequence('comments', 'id')) AS id)
                    INSERT INTO comments (id, url, video_id, thread_id, in_reply_to, account_id, text, held, created_at,
                        updated_at)
                    SELECT next.id, \(new.url), \(new.videoId), COALESCE(\(new.inReplyTo?.threadId), next.id),
                        \(new.inReplyTo?.id), \(new.accountId), \(new.text), \(new.heldForReview),
                        COALESCE(\(new.createdAt), now()), now()
                    FROM next
                    RETURNING \(unescaped: Self.columns)
                    """)[0])
            return try Self.comment(cells: &cells)
        }
    }

    func find(id: Int64) async throws -> CommentWithAuthor? {
        try await db.first("\(unescaped: Self.select) WHERE m.id = \(id)").map(Self.decode)
    }

    func find(url: String) async throws -> CommentWithAuthor? {
        try await db.first("\(unescaped: Self.select) WHERE m.url = \(url)").map(Self.decode)
    }

    /// Held comments show to their author and, with `includeHeld`, to the video's owner.
    static func visibility(_ builder: inout QueryBuilder, viewerAccountId: Int64?, includeHeld: Bool) -> String {
        if includeHeld { return "true" }
        if let viewerAccountId { return "(NOT m.held OR m.account_id = \(builder.bind(viewerAccountId)))" }
        return "NOT m.held"
    }

    func threads(videoId: Int64, pagination: Pagination, sort: CommentSort, viewerAccountId: Int64?, includeHeld: Bool)
        async throws -> Page<CommentWithAuthor>
    {
        let order =
            switch sort {
            case .createdAt(let descending): "m.created_at \(descending ? "DESC" : "ASC"), m.id"
            case .totalReplies(let descending): "replies \(descending ? "DESC" : "ASC"), m.created_at DESC, m.id"
            }
        var builder = QueryBuilder()
        let visible = Self.visibility(&builder, viewerAccountId: viewerAccountId, includeHeld: includeHeld)
        let condition = " WHERE m.video_id = \(builder.bind(videoId)) AND m.in_reply_to IS NULL AND \(visible)"
        var counting = builder
        counting.append("SELECT COUNT(*) FROM comments m" + condition)
        builder.append(Self.select + condition + " ORDER BY \(order)")
        builder.append(" LIMIT \(builder.bind(pagination.count)) OFFSET \(builder.bind(pagination.start))")
        async let total = db.query(counting.query)[0].decode(Int.self)
        let rows = try await db.query(builder.query).map(Self.decode)
        return Page(total: try await total, data: rows)
    }

    func thread(id: Int64, viewerAccountId: Int64?, includeHeld: Bool) async throws -> [CommentWithAuthor] {
        var builder = QueryBuilder()
        let visible = Self.visibility(&builder, viewerAccountId: viewerAccountId, includeHeld: includeHeld)
        builder.append(
            Self.select + " WHERE m.thread_id = \(builder.bind(id)) AND \(visible) ORDER BY m.created_at, m.id")
        return try await db.query(builder.query).map(Self.decode)
    }

    func links(videoId: Int64, start: Int, count: Int) async throws -> Page<CommentLink> {
        let total = try await db.query("SELECT COUNT(*) FROM comments WHERE video_id = \(videoId) AND NOT held")[0]
            .decode(Int.self)
        let rows = try await db.query(
            """
            SELECT id, url FROM comments WHERE video_id = \(videoId) AND NOT held ORDER BY id
            LIMIT \(count) OFFSET \(start)
            """)
        return Page(
            total: total,
            data: try rows.map { row in
                let (id, url) = try row.decode((Int64, String?).self)
                return CommentLink(id: id, url: url)
            })
    }

    func countVisible(videoId: Int64) async throws -> Int {
        try await db.query(
            "SELECT COUNT(*) FROM comments WHERE video_id = \(videoId) AND deleted_at IS NULL AND NOT held"
        )[0].decode(Int.self)
    }

    func markDeleted(id: Int64, at date: Date) async throws {
        try await db.query(
            """
            UPDATE comments SET text = '', deleted_at = \(date), updated_at = \(date)
            WHERE id = \(id) AND deleted_at IS NULL
            """)
    }

    func updateText(id: Int64, text: String, at date: Date) async throws {
        try await db.query(
            "UPDATE comments SET text = \(text), updated_at = \(date) WHERE id = \(id) AND deleted_at IS NULL")
    }

    func approve(id: Int64) async throws {
        try await db.query("UPDATE comments SET held = false, updated_at = now() WHERE id = \(id)")
    }
}
