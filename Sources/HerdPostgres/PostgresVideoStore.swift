import Foundation
import HerdCore
import PostgresNIO

struct PostgresVideoStore: VideoStore {
    let db: PostgresConnections
    let counts: CountCache

    /// Forgets cached totals once a write is visible to other readers (at once, or when the transaction commits).
    func countsChanged() {
        AfterCommit.run { [counts] in counts.invalidate() }
    }

    static let joined = """
        SELECT \(Columns.video), \(Columns.channel), \(Columns.account)
        FROM videos v JOIN channels c ON c.id = v.channel_id JOIN accounts a ON a.id = c.account_id
        """

    func create(_ new: NewVideo) async throws -> Video {
        defer { countsChanged() }
        let text = Self.searchedText(name: new.name, tags: new.tags, description: new.description)
        let remote = try RemoteVideoSource.encode(stored: new.remote)
        return try await db.mapUnique("a video with this UUID already exists") {
            var cells = Cells(
                try await db.query(
                    """
                    INSERT INTO videos AS v (uuid, channel_id, name, description, support, privacy, state, category,
                        licence, language, nsfw, comments_policy, download_enabled, wait_transcoding, tags, tag_keys,
                        trigrams, original_filename, original_size, created_at, updated_at, published_at,
                        originally_published_at, duration, views, url, remote)
                    VALUES (\(new.uuid), \(new.channelId), \(new.name), \(new.description), \(new.support),
                        \(new.privacy.rawValue), \(new.state.rawValue), \(new.category), \(new.licence), \(new.language),
                        \(new.nsfw), \(new.commentsPolicy.rawValue), \(new.downloadEnabled), \(new.waitTranscoding),
                        \(new.tags), \(Self.tagKeys(new.tags)), \(SearchTrigrams.of(text)), \(new.originalFilename),
                        \(new.originalSize), COALESCE(\(new.createdAt), now()), now(),
                        COALESCE(\(new.publishedAt), now()), \(new.originallyPublishedAt), \(new.duration),
                        \(new.views), \(new.remote?.url), \(remote))
                    RETURNING \(unescaped: Columns.video)
                    """)[0])
            return try Video(cells: &cells)
        }
    }

    func find(_ reference: VideoReference) async throws -> VideoWithOwner? {
        try await Self.find(db, reference)
    }

    static func find(_ db: PostgresConnections, _ reference: VideoReference) async throws -> VideoWithOwner? {
        switch reference {
        case .id(let id): try await db.first("\(unescaped: Self.joined) WHERE v.id = \(id)").map(Self.decode)
        case .uuid(let uuid): try await db.first("\(unescaped: Self.joined) WHERE v.uuid = \(uuid)").map(Self.decode)
        }
    }

    func findWithMedia(_ reference: VideoReference, now: Date) async throws -> VideoWithMedia? {
        guard let video = try await Self.find(db, reference) else { return nil }
        async let files = PostgresVideoFileStore.files(db, videoId: video.video.id)
        async let mirrors = PostgresMirrorStore.mirrors(db, videoId: video.video.id, now: now)
        return VideoWithMedia(video: video, files: try await files, mirrors: try await mirrors)
    }

    func find(url: String) async throws -> VideoWithOwner? {
        try await db.first("\(unescaped: Self.joined) WHERE v.url = \(url)").map(Self.decode)
    }

    func list(_ query: VideoQuery) async throws -> Page<VideoWithOwner> {
        var builder = QueryBuilder()
        var conditions: [String] = []
        // One privacy (the public list) as `=`, so that the listing index gives the newest first without a sort.
        if query.privacies.count == 1, let privacy = query.privacies.first {
            conditions.append("v.privacy = \(builder.bind(privacy.rawValue))")
        } else if !query.privacies.isEmpty {
            conditions.append("v.privacy = ANY(\(builder.bind(query.privacies.map(\.rawValue).sorted())))")
        }
        if query.onlyPublished { conditions.append("v.state = \(VideoState.published.rawValue)") }
        if let channelId = query.channelId { conditions.append("v.channel_id = \(builder.bind(channelId))") }
        if let accountId = query.accountId { conditions.append("c.account_id = \(builder.bind(accountId))") }
        if let isLocal = query.isLocal { conditions.append(isLocal ? "c.host = ''" : "c.host <> ''") }
        if let host = query.host { conditions.append("c.host = \(builder.bind(host))") }
        if let low = query.durationMin { conditions.append("v.duration >= \(builder.bind(low))") }
        if let high = query.durationMax { conditions.append("v.duration <= \(builder.bind(high))") }
        if let low = query.startDate { conditions.append("v.published_at >= \(builder.bind(low))") }
        if let high = query.endDate { conditions.append("v.published_at <= \(builder.bind(high))") }
        let originally = "COALESCE(v.originally_published_at, v.published_at)"
        if let low = query.originallyPublishedStartDate { conditions.append("\(originally) >= \(builder.bind(low))") }
        if let high = query.originallyPublishedEndDate { conditions.append("\(originally) <= \(builder.bind(high))") }
        // Search: videos holding enough of the query's trigrams (the GIN index finds those holding any); `match`
        // orders by how many, as on SQLite.
        var matches: String?
        if let search = query.search {
            let (trigrams, required) = SearchTrigrams.query(search)
            if trigrams.isEmpty {
                conditions.append("false")
            } else {
                let wanted = builder.bind(trigrams)
                let count = "(SELECT COUNT(*) FROM unnest(v.trigrams) t WHERE t = ANY(\(wanted)))"
                conditions.append("v.trigrams && \(wanted) AND \(count) >= \(builder.bind(required))")
                matches = count
            }
        }
        if let nsfw = query.nsfw { conditions.append("v.nsfw = \(nsfw)") }
        if !query.categoryOneOf.isEmpty { conditions.append("v.category = ANY(\(builder.bind(query.categoryOneOf)))") }
        if !query.licenceOneOf.isEmpty { conditions.append("v.licence = ANY(\(builder.bind(query.licenceOneOf)))") }
        if !query.languageOneOf.isEmpty {
            conditions.append("v.language = ANY(\(builder.bind(query.languageOneOf)))")
        }
        if !query.tagsOneOf.isEmpty {
            conditions.append("v.tag_keys && \(builder.bind(Self.tagKeys(query.tagsOneOf)))")
        }
        if !query.tagsAllOf.isEmpty {
            conditions.append("v.tag_keys @> \(builder.bind(Self.tagKeys(query.tagsAllOf)))")
        }
        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let direction = query.sort.descending ? "DESC" : "ASC"
        let column: String
        switch query.sort.column {
        case .name: column = "v.name"
        case .duration: column = "v.duration"
        case .createdAt: column = "v.created_at"
        case .publishedAt: column = "v.published_at"
        case .originallyPublishedAt: column = originally
        case .views, .trending, .hot, .best: column = "v.views"
        case .likes: column = "v.likes"
        case .match: column = matches ?? "v.published_at"
        }
        // Relevance ties (and a match sort without search) fall back to the newest first.
        let order =
            query.sort.column == .match
            ? " ORDER BY \(column) \(direction), v.published_at DESC, v.id DESC"
            : " ORDER BY \(column) \(direction), v.id \(direction)"
        let needsJoinForCount = query.accountId != nil || query.isLocal != nil || query.host != nil
        var counting = builder
        counting.append(
            (needsJoinForCount
                ? "SELECT COUNT(*) FROM videos v JOIN channels c ON c.id = v.channel_id"
                : "SELECT COUNT(*) FROM videos v")
                + whereClause)
        builder.append(Self.joined + whereClause + order)
        builder.append(" LIMIT \(builder.bind(query.pagination.count)) OFFSET \(builder.bind(query.pagination.start))")
        let (countQuery, countKey) = (counting.query, counting.key)
        async let total = counts.total(for: countKey) { try await db.query(countQuery)[0].decode(Int.self) }
        let videos = try await db.query(builder.query).map(Self.decode)
        return Page(total: try await total, data: videos)
    }

    func update(_ video: Video) async throws {
        defer { countsChanged() }
        let text = Self.searchedText(name: video.name, tags: video.tags, description: video.description)
        let remote = try RemoteVideoSource.encode(stored: video.remote)
        try await db.query(
            """
            UPDATE videos SET name = \(video.name), description = \(video.description), support = \(video.support),
                privacy = \(video.privacy.rawValue), state = \(video.state.rawValue), state_reason = \(video.stateReason),
                category = \(video.category), licence = \(video.licence), language = \(video.language),
                nsfw = \(video.nsfw), comments_policy = \(video.commentsPolicy.rawValue),
                download_enabled = \(video.downloadEnabled), wait_transcoding = \(video.waitTranscoding),
                tags = \(video.tags), tag_keys = \(Self.tagKeys(video.tags)), trigrams = \(SearchTrigrams.of(text)),
                duration = \(video.duration), views = \(video.views), likes = \(video.likes),
                dislikes = \(video.dislikes), original_filename = \(video.originalFilename),
                original_size = \(video.originalSize), updated_at = now(), published_at = \(video.publishedAt),
                originally_published_at = \(video.originallyPublishedAt), channel_id = \(video.channelId),
                url = \(video.remote?.url), remote = \(remote)
            WHERE id = \(video.id)
            """)
    }

    func delete(id: Int64) async throws {
        defer { countsChanged() }
        try await db.query("DELETE FROM videos WHERE id = \(id)")
    }

    func usedQuota(userId: Int64, since: Date?) async throws -> Int64 {
        try await db.query(
            """
            SELECT COALESCE(SUM(v.original_size), 0)::bigint FROM videos v
            JOIN channels c ON c.id = v.channel_id JOIN accounts a ON a.id = c.account_id
            WHERE a.user_id = \(userId) AND (\(since)::timestamptz IS NULL OR v.created_at >= \(since))
            """
        )[0].decode(Int64.self)
    }

    func count(channelId: Int64) async throws -> Int {
        try await db.query("SELECT COUNT(*) FROM videos WHERE channel_id = \(channelId)")[0].decode(Int.self)
    }

    /// How much of a description is searched: its opening, where a videographer says what the video is.
    static let searchedDescription = 2_000

    /// What search reads: the name, tags and the opening of the description (`SearchTrigrams`).
    static func searchedText(name: String, tags: [String], description: String?) -> String {
        ([name] + tags + [String((description ?? "").prefix(searchedDescription))]).joined(separator: " ")
    }

    /// The tags as filters match them: lowercased, each once.
    static func tagKeys(_ tags: [String]) -> [String] {
        Array(Set(tags.map { $0.lowercased() })).sorted()
    }

    static func decode(_ row: PostgresRow) throws -> VideoWithOwner {
        var cells = Cells(row)
        return VideoWithOwner(
            video: try Video(cells: &cells), channel: try HerdCore.Channel(cells: &cells),
            account: try Account(cells: &cells))
    }
}
