import Foundation
import GRDB
import HerdCore

/// A remote video's media as stored JSON (nil for local videos).
func encodeRemote(_ remote: RemoteVideoSource?) throws -> String? {
    try remote.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
}

struct SQLiteVideoStore: VideoStore {
    let pool: SQLiteConnections
    let counts: CountCache

    static let joined = """
        SELECT \(Columns.video), \(Columns.channel), \(Columns.account)
        FROM videos v JOIN channels c ON c.id = v.channel_id JOIN accounts a ON a.id = c.account_id
        """

    /// Forgets cached totals once a write is visible to other readers (at once, or when the transaction commits:
    /// cleared earlier, a reader could cache the old total again).
    func countsChanged() {
        AfterCommit.run { [counts] in counts.invalidate() }
    }

    func create(_ new: NewVideo) async throws -> Video {
        defer { countsChanged() }
        return try await pool.write { db in try Self.insert(db, new) }
    }

    static func insert(_ db: Database, _ new: NewVideo) throws -> Video {
        let now = Date().databaseValue
        let created = new.createdAt?.databaseValue ?? now
        let published = new.publishedAt?.databaseValue ?? now
        try DatabaseError.mapConstraint("a video with this UUID already exists") {
            try db.execute(
                sql: """
                    INSERT INTO videos (uuid, channel_id, name, description, support, privacy, state, category,
                        licence, language, nsfw, comments_policy, download_enabled, wait_transcoding, tags,
                        original_filename, original_size, created_at, updated_at, published_at, originally_published_at,
                        duration, views, url, remote)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    new.uuid.lowercasedString, new.channelId, new.name, new.description, new.support,
                    new.privacy.rawValue, new.state.rawValue, new.category, new.licence, new.language, new.nsfw,
                    new.commentsPolicy.rawValue, new.downloadEnabled, new.waitTranscoding, encodeTags(new.tags),
                    new.originalFilename, new.originalSize, created, now, published,
                    new.originallyPublishedAt?.databaseValue, new.duration, new.views, new.remote?.url,
                    try encodeRemote(new.remote),
                ]
            )
        }
        let id = db.lastInsertedRowID
        try Self.replaceTags(db, videoId: id, tags: new.tags)
        try Self.replaceTrigrams(db, videoId: id, name: new.name, tags: new.tags, description: new.description)
        return Video(
            id: id, uuid: new.uuid, channelId: new.channelId, name: new.name, description: new.description,
            support: new.support, privacy: new.privacy, state: new.state, category: new.category,
            licence: new.licence, language: new.language, nsfw: new.nsfw, commentsPolicy: new.commentsPolicy,
            downloadEnabled: new.downloadEnabled, waitTranscoding: new.waitTranscoding, tags: new.tags,
            duration: new.duration, views: new.views, originalFilename: new.originalFilename,
            originalSize: new.originalSize, createdAt: Date(databaseValue: created),
            updatedAt: Date(databaseValue: now), publishedAt: Date(databaseValue: published),
            originallyPublishedAt: new.originallyPublishedAt, remote: new.remote
        )
    }

    func find(_ reference: VideoReference) async throws -> VideoWithOwner? {
        try await pool.readHere { db in try Self.find(db, reference) }
    }

    static func find(_ db: Database, _ reference: VideoReference) throws -> VideoWithOwner? {
        switch reference {
        case .id(let id):
            return try db.cachedStatement(sql: Self.joined + " WHERE v.id = ?").decodeOne(
                arguments: [id], Self.videoWithOwner(row:))
        case .uuid(let uuid):
            return try db.cachedStatement(sql: Self.joined + " WHERE v.uuid = ?").decodeOne(
                arguments: [uuid.lowercasedString], Self.videoWithOwner(row:))
        }
    }

    func findWithMedia(_ reference: VideoReference, now: Date) async throws -> VideoWithMedia? {
        try await pool.readHere { db in
            guard let video = try Self.find(db, reference) else { return nil }
            return VideoWithMedia(
                video: video, files: try SQLiteVideoFileStore.files(db, videoId: video.video.id),
                mirrors: try SQLiteMirrorStore.mirrors(db, videoId: video.video.id, now: now))
        }
    }

    func find(url: String) async throws -> VideoWithOwner? {
        try await pool.readHere { db in
            try db.cachedStatement(sql: Self.joined + " WHERE v.url = ?").decodeOne(
                arguments: [url], Self.videoWithOwner(row:))
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
        if let host = query.host {
            conditions.append("c.host = ?")
            arguments.append(host)
        }
        func range(_ column: String, _ low: (any DatabaseValueConvertible)?, _ high: (any DatabaseValueConvertible)?) {
            if let low {
                conditions.append("\(column) >= ?")
                arguments.append(low)
            }
            if let high {
                conditions.append("\(column) <= ?")
                arguments.append(high)
            }
        }
        range("v.duration", query.durationMin, query.durationMax)
        range("v.published_at", query.startDate?.databaseValue, query.endDate?.databaseValue)
        range(
            "COALESCE(v.originally_published_at, v.published_at)", query.originallyPublishedStartDate?.databaseValue,
            query.originallyPublishedEndDate?.databaseValue)
        // Search: videos holding enough of the query's trigrams; `match` orders by how many.
        var matchOrder: (sql: String, arguments: [any DatabaseValueConvertible])?
        if let search = query.search {
            let (trigrams, required) = SearchTrigrams.query(search)
            let marks = Array(repeating: "?", count: trigrams.count).joined(separator: ",")
            if trigrams.isEmpty {
                conditions.append("0")
            } else {
                conditions.append(
                    """
                    v.id IN (SELECT video_id FROM video_trigrams WHERE trigram IN (\(marks))
                        GROUP BY video_id HAVING COUNT(*) >= ?)
                    """)
                arguments.append(contentsOf: trigrams)
                arguments.append(required)
                matchOrder = (
                    "(SELECT COUNT(*) FROM video_trigrams t WHERE t.video_id = v.id AND t.trigram IN (\(marks)))",
                    trigrams
                )
            }
        }
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
        case .match: column = matchOrder?.sql ?? "v.published_at"
        }
        // Relevance ties (and a match sort without search) fall back to the newest first.
        let order =
            query.sort.column == .match
            ? " ORDER BY \(column) \(direction), v.published_at DESC, v.id DESC"
            : " ORDER BY \(column) \(direction), v.id \(direction)"
        let countArguments = StatementArguments(arguments) ?? []
        let orderArguments = query.sort.column == .match ? matchOrder?.arguments ?? [] : []
        let pageArguments =
            (StatementArguments(arguments) ?? []) + (StatementArguments(orderArguments) ?? [])
            + [query.pagination.count, query.pagination.start]
        let needsJoinForCount = query.accountId != nil || query.isLocal != nil || query.host != nil
        return try await pool.readHere { db in
            let countSQL =
                needsJoinForCount
                ? "SELECT COUNT(*) FROM videos v JOIN channels c ON c.id = v.channel_id" + whereClause
                : "SELECT COUNT(*) FROM videos v" + whereClause
            let total = try counts.total(for: countSQL + "\u{1F}" + countArguments.description) {
                try Int.fetchOne(db.cachedStatement(sql: countSQL), arguments: countArguments) ?? 0
            }
            let videos = try db.cachedStatement(sql: Self.joined + whereClause + order + " LIMIT ? OFFSET ?")
                .decodeAll(arguments: pageArguments, Self.videoWithOwner(row:))
            return Page(total: total, data: videos)
        }
    }

    func update(_ video: Video) async throws {
        defer { countsChanged() }
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE videos SET name = ?, description = ?, support = ?, privacy = ?, state = ?, state_reason = ?,
                        category = ?, licence = ?, language = ?, nsfw = ?, comments_policy = ?, download_enabled = ?,
                        wait_transcoding = ?, tags = ?, duration = ?, views = ?, likes = ?, dislikes = ?,
                        original_filename = ?, original_size = ?, updated_at = ?, published_at = ?,
                        originally_published_at = ?, channel_id = ?, url = ?, remote = ?
                    WHERE id = ?
                    """,
                arguments: [
                    video.name, video.description, video.support, video.privacy.rawValue, video.state.rawValue,
                    video.stateReason, video.category, video.licence, video.language, video.nsfw,
                    video.commentsPolicy.rawValue, video.downloadEnabled, video.waitTranscoding, encodeTags(video.tags),
                    video.duration, video.views, video.likes, video.dislikes, video.originalFilename,
                    video.originalSize, Date().databaseValue, video.publishedAt.databaseValue,
                    video.originallyPublishedAt?.databaseValue, video.channelId, video.remote?.url,
                    try encodeRemote(video.remote), video.id,
                ]
            )
            try Self.replaceTags(db, videoId: video.id, tags: video.tags)
            try Self.replaceTrigrams(
                db, videoId: video.id, name: video.name, tags: video.tags, description: video.description)
        }
    }

    func delete(id: Int64) async throws {
        defer { countsChanged() }
        try await pool.write { db in try db.execute(sql: "DELETE FROM videos WHERE id = ?", arguments: [id]) }
    }

    func usedQuota(userId: Int64, since: Date?) async throws -> Int64 {
        try await pool.readHere { db in
            try Int64.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT COALESCE(SUM(v.original_size), 0) FROM videos v
                        JOIN channels c ON c.id = v.channel_id JOIN accounts a ON a.id = c.account_id
                        WHERE a.user_id = ? AND v.created_at >= ?
                        """),
                arguments: [userId, since?.databaseValue ?? 0]
            ) ?? 0
        }
    }

    func count(channelId: Int64) async throws -> Int {
        try await pool.readHere { db in
            try Int.fetchOne(
                db.cachedStatement(sql: "SELECT COUNT(*) FROM videos WHERE channel_id = ?"), arguments: [channelId])
                ?? 0
        }
    }

    static func replaceTags(_ db: Database, videoId: Int64, tags: [String]) throws {
        try db.execute(sql: "DELETE FROM video_tags WHERE video_id = ?", arguments: [videoId])
        for tag in Set(tags.map { $0.lowercased() }) {
            try db.execute(sql: "INSERT INTO video_tags (video_id, tag) VALUES (?, ?)", arguments: [videoId, tag])
        }
    }

    /// How much of a description is searched: its opening, where a videographer says what the video is.
    static let searchedDescription = 2_000

    /// Indexes the name, tags and the opening of the description for search (`SearchTrigrams`).
    static func replaceTrigrams(
        _ db: Database, videoId: Int64, name: String, tags: [String], description: String? = nil
    ) throws {
        try db.execute(sql: "DELETE FROM video_trigrams WHERE video_id = ?", arguments: [videoId])
        let statement = try db.cachedStatement(sql: "INSERT INTO video_trigrams (trigram, video_id) VALUES (?, ?)")
        let text = [name] + tags + [String((description ?? "").prefix(Self.searchedDescription))]
        for trigram in SearchTrigrams.of(text.joined(separator: " ")) {
            try statement.execute(arguments: [trigram, videoId])
        }
    }

    static func videoWithOwner(row: Row) -> VideoWithOwner {
        VideoWithOwner(
            video: Video(row: row, at: 0), channel: Channel(row: row, at: Video.columnCount),
            account: Account(row: row, at: Video.columnCount + Channel.columnCount)
        )
    }
}
