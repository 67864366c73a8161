import Foundation
import HerdCore
import PostgresNIO

/// Reads a row's cells in order: joined rows are decoded by position, following the `Columns` lists.
struct Cells {
    private var iterator: PostgresRow.Iterator

    init(_ row: PostgresRow) {
        iterator = row.makeIterator()
    }

    mutating func next<T: PostgresDecodable>(_: T.Type = T.self) throws -> T {
        guard let cell = iterator.next() else { throw HerdError.internalError("a row has fewer columns than expected") }
        return try cell.decode(T.self)
    }

    /// Skips `count` cells (a LEFT JOIN's missing side).
    mutating func skip(_ count: Int) {
        for _ in 0..<count { _ = iterator.next() }
    }
}

/// Column lists with table prefixes, in the order the decoders below read them.
enum Columns {
    static let account =
        "a.id, a.user_id, a.name, a.host, a.display_name, a.description, a.created_at, a.updated_at, a.url"
    static let channel = """
        c.id, c.account_id, c.name, c.host, c.display_name, c.description, c.support, c.created_at, c.updated_at, c.url
        """
    static let video = """
        v.id, v.uuid, v.channel_id, v.name, v.description, v.support, v.privacy, v.state, v.state_reason, v.category,
        v.licence, v.language, v.nsfw, v.comments_policy, v.download_enabled, v.wait_transcoding, v.tags, v.duration,
        v.views, v.likes, v.dislikes, v.original_filename, v.original_size, v.created_at, v.updated_at,
        v.published_at, v.originally_published_at, v.remote
        """
    static let user =
        "id, username, email, password_hash, role, video_quota, video_quota_daily, blocked, created_at"
}

extension String {
    /// Local actors are stored with an empty host so that UNIQUE (host, name) holds for them.
    var hostOrNil: String? { isEmpty ? nil : self }
}

extension User {
    init(cells: inout Cells) throws {
        self.init(
            id: try cells.next(), username: try cells.next(), email: try cells.next(), passwordHash: try cells.next(),
            role: Role(rawValue: try cells.next()) ?? .user, videoQuota: try cells.next(),
            videoQuotaDaily: try cells.next(), blocked: try cells.next(), createdAt: try cells.next())
    }

    init(row: PostgresRow) throws {
        var cells = Cells(row)
        try self.init(cells: &cells)
    }
}

extension Account {
    static let columnCount = 9

    init(cells: inout Cells) throws {
        let id: Int64 = try cells.next()
        let userId: Int64? = try cells.next()
        let name: String = try cells.next()
        let host: String = try cells.next()
        self.init(
            id: id, userId: userId, name: name, displayName: try cells.next(), description: try cells.next(),
            host: host.hostOrNil, url: nil, createdAt: try cells.next(), updatedAt: try cells.next())
        url = try cells.next()
    }

    init(row: PostgresRow) throws {
        var cells = Cells(row)
        try self.init(cells: &cells)
    }
}

extension HerdCore.Channel {
    init(cells: inout Cells) throws {
        let id: Int64 = try cells.next()
        let accountId: Int64 = try cells.next()
        let name: String = try cells.next()
        let host: String = try cells.next()
        self.init(
            id: id, accountId: accountId, name: name, displayName: try cells.next(), description: try cells.next(),
            support: try cells.next(), host: host.hostOrNil, url: nil, createdAt: try cells.next(),
            updatedAt: try cells.next())
        url = try cells.next()
    }

    init(row: PostgresRow) throws {
        var cells = Cells(row)
        try self.init(cells: &cells)
    }
}

extension Video {
    init(cells: inout Cells) throws {
        let id: Int64 = try cells.next()
        let uuid: UUID = try cells.next()
        let channelId: Int64 = try cells.next()
        let name: String = try cells.next()
        let description: String? = try cells.next()
        let support: String? = try cells.next()
        let privacy = VideoPrivacy(rawValue: try cells.next()) ?? .private
        let state = VideoState(rawValue: try cells.next()) ?? .toTranscode
        let stateReason: String? = try cells.next()
        let category: Int? = try cells.next()
        let licence: Int? = try cells.next()
        let language: String? = try cells.next()
        let nsfw: Bool = try cells.next()
        let commentsPolicy = CommentsPolicy(rawValue: try cells.next()) ?? .enabled
        let downloadEnabled: Bool = try cells.next()
        let waitTranscoding: Bool = try cells.next()
        let tags: [String] = try cells.next()
        self.init(
            id: id, uuid: uuid, channelId: channelId, name: name, description: description, support: support,
            privacy: privacy, state: state, stateReason: stateReason, category: category, licence: licence,
            language: language, nsfw: nsfw, commentsPolicy: commentsPolicy, downloadEnabled: downloadEnabled,
            waitTranscoding: waitTranscoding, tags: tags, duration: try cells.next(), views: try cells.next(),
            likes: try cells.next(), dislikes: try cells.next(), originalFilename: try cells.next(),
            originalSize: try cells.next(), createdAt: try cells.next(), updatedAt: try cells.next(),
            publishedAt: try cells.next(), originallyPublishedAt: try cells.next(),
            remote: try RemoteVideoSource.decode(stored: try cells.next()))
    }
}

extension RemoteVideoSource {
    /// A remote video's media, stored as JSON text (nil for local videos).
    static func decode(stored text: String?) throws -> RemoteVideoSource? {
        guard let text else { return nil }
        return try? JSONDecoder().decode(RemoteVideoSource.self, from: Data(text.utf8))
    }

    static func encode(stored remote: RemoteVideoSource?) throws -> String? {
        try remote.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
    }
}
