import Foundation
import GRDB
import HerdCore

struct SQLiteVideoStore: VideoStore {
    let pool: DatabasePool
    let counts: CountCache

    static let joined = """
        SELECT \(Columns.video), \(Columns.channel), \(Columns.account)
        FROM videos v JOIN channels c ON c.id = v.channel_id JOIN accounts a ON a.id = c.account_id
        """

    func create(_ new: NewVideo) async throws -> Video {
        defer { counts.invalidate() }
        return try await pool.write { db in
            let now = Date().databaseValue
            try DatabaseError.mapConstraint("a video with this UUID already exists") {
                try db.execute(
                    sql: """
                        INSERT INTO videos (uuid, channel_id, name, description, support, privacy, state, category,
                            licence, language, nsfw, comments_policy, download_enabled, wait_transcoding, tags,
                            original_filename, original_size, created_at, updated_at, published_at, originally_published_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        new.uuid.uuidString.lowercased(), new.channelId, new.name, new.description, new.support,
                        new.privacy.rawValue, new.state.rawValue, new.category, new.licence, new.language, new.nsfw,
                        new.commentsPolicy.rawValue, new.downloadEnabled, new.waitTranscoding, encodeTags(new.tags),
                        new.originalFilename, new.originalSize, now, now, now,
                        new.originallyPublishedAt?.databaseValue,
                    ]
                )
            }
            let id = db.lastInsertedRowID
            try Self.replaceTags(db, videoId: id, tags: new.tags)
            let date = Date(databaseValue: now)
            return Video(
                id: id, uuid: new.uuid, channelId: new.channelId, name: new.name, description: new.description,
                support: new.support, privacy: new.privacy, state: new.state, category: new.category,
                licence: new.licence, language: new.language, nsfw: new.nsfw, commentsPolicy: new.commentsPolicy,
                downloadEnabled: new.downloadEnabled, waitTranscoding: new.waitTranscoding, tags: new.tags,
                originalFilename: new.originalFilename, originalSize: new.originalSize, createdAt: date,
                updatedAt: date, publishedAt: date, originallyPublishedAt: new.originallyPublishedAt
            )
        }
    }

    func find(_ reference: VideoReference) async throws -> VideoWithOwner? {
        try await pool.read { db in
            let row: Row?
            switch reference {
            case .id(let id): row = try Row.fetchOne(db, sql: Self.joined + " WHERE v.id = ?", arguments: [id])
            case .uuid(let uuid):
                row = try Row.fetchOne(
                    db, sql: Self.joined + " WHERE v.uuid = ?", arguments: [uuid.uuidString.lowercased()])
            }
            return row.map(Self.videoWithOwner(row:))
        }
    }

    func list(_ query: VideoQuery) async throws -> Page<VideoWithOwner> {
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        if !query.privacies.isEmpty {
            let values = query.privacies.map(\.rawValue).sorted()
            conditions.append("v.privacy IN (\(values.map(String.init).joined(separator: ",")))")
        }
        if query.onlyPublished { conditions.append("v.state = \(VideoState.published.rawValue)") }
        if let channelId = query.channelId {
            conditions.append("v.channel_id = ?")
            arguments.append(channelId)
        }
        if let accountId = query.accountId {
            conditions.append("c.account_id = ?")
            arguments.append(accountId)
        }
        if let isLocal = query.isLocal { conditions.append(isLocal ? "c.host = ''" : "c.host <> ''") }
        if let nsfw = query.nsfw { conditions.append("v.nsfw = \(nsfw ? 1 : 0)") }
        func oneOf<T: DatabaseValueConvertible>(_ column: String, _ values: [T]) {
            guard !values.isEmpty else { return }
            conditions.append("\(column) IN (\(Array(repeating: "?", count: values.count).joined(separator: ",")))")
            arguments.append(contentsOf: values)
        }
        oneOf("v.category", query.categoryOneOf)
        oneOf("v.licence", query.licenceOneOf)
        oneOf("v.language", query.languageOneOf)
        if !query.tagsOneOf.isEmpty {
            let marks = Array(repeating: "?", count: query.tagsOneOf.count).joined(separator: ",")
            conditions.append("v.id IN (SELECT video_id FROM video_tags WHERE tag IN (\(marks)))")
            arguments.append(contentsOf: query.tagsOneOf)
        }
        for tag in query.tagsAllOf {
            conditions.append("v.id IN (SELECT video_id FROM video_tags WHERE tag = ?)")
            arguments.append(tag)
        }
        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let direction = query.sort.descending ? "DESC" : "ASC"
        let column: String
        switch query.sort.column {
        case .name: column = "v.name"
        case .duration: column = "v.duration"
        case .createdAt: column = "v.created_at"
        case .publishedAt: column = "v.published_at"
        case .originallyPublishedAt: column = "COALESCE(v.originally_published_at, v.published_at)"
        case .views, .trending, .hot, .best: column = "v.views"
        case .likes: column = "v.likes"
        }
        let order = " ORDER BY \(column) \(direction), v.id \(direction)"
        let countArguments = StatementArguments(arguments) ?? []
        let pageArguments = (StatementArguments(arguments) ?? []) + [query.pagination.count, query.pagination.start]
        let needsJoinForCount = query.accountId != nil || query.isLocal != nil
        return try await pool.read { db in
            let countSQL =
                needsJoinForCount
                ? "SELECT COUNT(*) FROM videos v JOIN channels c ON c.id = v.channel_id" + whereClause
                : "SELECT COUNT(*) FROM videos v" + whereClause
            let total = try counts.total(for: countSQL + "\u{1F}" + countArguments.description) {
                try Int.fetchOne(db.cachedStatement(sql: countSQL), arguments: countArguments) ?? 0
            }
            let rows = try Row.fetchAll(
                db.cachedStatement(sql: Self.joined + whereClause + order + " LIMIT ? OFFSET ?"),
                arguments: pageArguments
            )
            return Page(total: total, data: rows.map(Self.videoWithOwner(row:)))
        }
    }

    func update(_ video: Video) async throws {
        defer { counts.invalidate() }
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE videos SET name = ?, description = ?, support = ?, privacy = ?, state = ?, state_reason = ?,
                        category = ?, licence = ?, language = ?, nsfw = ?, comments_policy = ?, download_enabled = ?,
                        wait_transcoding = ?, tags = ?, duration = ?, views = ?, likes = ?, dislikes = ?,
                        original_filename = ?, original_size = ?, updated_at = ?, published_at = ?,
                        originally_published_at = ?, channel_id = ?
                    WHERE id = ?
                    """,
                arguments: [
                    video.name, video.description, video.support, video.privacy.rawValue, video.state.rawValue,
                    video.stateReason, video.category, video.licence, video.language, video.nsfw,
                    video.commentsPolicy.rawValue, video.downloadEnabled, video.waitTranscoding, encodeTags(video.tags),
                    video.duration, video.views, video.likes, video.dislikes, video.originalFilename,
                    video.originalSize, Date().databaseValue, video.publishedAt.databaseValue,
                    video.originallyPublishedAt?.databaseValue, video.channelId, video.id,
                ]
            )
            try Self.replaceTags(db, videoId: video.id, tags: video.tags)
        }
    }

    func delete(id: Int64) async throws {
        defer { counts.invalidate() }
        try await pool.write { db in try db.execute(sql: "DELETE FROM videos WHERE id = ?", arguments: [id]) }
    }

    func usedQuota(userId: Int64, since: Date?) async throws -> Int64 {
        try await pool.read { db in
            try Int64.fetchOne(
                db,
                sql: """
                    SELECT COALESCE(SUM(v.original_size), 0) FROM videos v
                    JOIN channels c ON c.id = v.channel_id JOIN accounts a ON a.id = c.account_id
                    WHERE a.user_id = ? AND v.created_at >= ?
                    """,
                arguments: [userId, since?.databaseValue ?? 0]
            ) ?? 0
        }
    }

    func count(channelId: Int64) async throws -> Int {
        try await pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM videos WHERE channel_id = ?", arguments: [channelId]) ?? 0
        }
    }

    static func replaceTags(_ db: Database, videoId: Int64, tags: [String]) throws {
        try db.execute(sql: "DELETE FROM video_tags WHERE video_id = ?", arguments: [videoId])
        for tag in Set(tags.map { $0.lowercased() }) {
            try db.execute(sql: "INSERT INTO video_tags (video_id, tag) VALUES (?, ?)", arguments: [videoId, tag])
        }
    }

    static func videoWithOwner(row: Row) -> VideoWithOwner {
        VideoWithOwner(
            video: Video(row: row, at: 0), channel: Channel(row: row, at: Video.columnCount),
            account: Account(row: row, at: Video.columnCount + Channel.columnCount)
        )
    }
}
