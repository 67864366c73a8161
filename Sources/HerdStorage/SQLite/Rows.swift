import Foundation
import GRDB
import HerdCore

/// Column lists with prefixes, so joined rows can be decoded without name clashes.
enum Columns {
    static let account = """
        a.id AS a_id, a.user_id AS a_user_id, a.name AS a_name, a.host AS a_host, a.display_name AS a_display_name,
        a.description AS a_description, a.created_at AS a_created_at, a.updated_at AS a_updated_at, a.url AS a_url
        """
    static let channel = """
        c.id AS c_id, c.account_id AS c_account_id, c.name AS c_name, c.host AS c_host,
        c.display_name AS c_display_name, c.description AS c_description, c.support AS c_support,
        c.created_at AS c_created_at, c.updated_at AS c_updated_at, c.url AS c_url
        """
    static let video = """
        v.id AS v_id, v.uuid AS v_uuid, v.channel_id AS v_channel_id, v.name AS v_name,
        v.description AS v_description, v.support AS v_support, v.privacy AS v_privacy, v.state AS v_state,
        v.state_reason AS v_state_reason, v.category AS v_category, v.licence AS v_licence,
        v.language AS v_language, v.nsfw AS v_nsfw, v.comments_policy AS v_comments_policy,
        v.download_enabled AS v_download_enabled, v.wait_transcoding AS v_wait_transcoding, v.tags AS v_tags,
        v.duration AS v_duration, v.views AS v_views, v.likes AS v_likes, v.dislikes AS v_dislikes,
        v.original_filename AS v_original_filename, v.original_size AS v_original_size,
        v.created_at AS v_created_at, v.updated_at AS v_updated_at, v.published_at AS v_published_at,
        v.originally_published_at AS v_originally_published_at, v.remote AS v_remote
        """
}

extension String {
    /// Local actors are stored with an empty host so that UNIQUE(host, name) holds for them.
    var hostOrNil: String? { isEmpty ? nil : self }
}

extension User {
    init(row: Row) {
        self.init(
            id: row["id"], username: row["username"], email: row["email"], passwordHash: row["password_hash"],
            role: Role(rawValue: row["role"]) ?? .user, videoQuota: row["video_quota"],
            videoQuotaDaily: row["video_quota_daily"], blocked: row["blocked"],
            createdAt: Date(databaseValue: row["created_at"])
        )
    }
}

// Joined rows are decoded by position: the order of the `Columns` lists, then a running offset.
// (Looking columns up by name costs a case-insensitive search per field.)

extension Account {
    static let columnCount = 9

    init(row: Row, at offset: Int) {
        self.init(
            id: row[offset], userId: row[offset + 1], name: row[offset + 2], displayName: row[offset + 4],
            description: row[offset + 5], host: (row[offset + 3] as String).hostOrNil, url: row[offset + 8],
            createdAt: Date(databaseValue: row[offset + 6]), updatedAt: Date(databaseValue: row[offset + 7])
        )
    }
}

extension Channel {
    static let columnCount = 10

    init(row: Row, at offset: Int) {
        self.init(
            id: row[offset], accountId: row[offset + 1], name: row[offset + 2], displayName: row[offset + 4],
            description: row[offset + 5], support: row[offset + 6], host: (row[offset + 3] as String).hostOrNil,
            url: row[offset + 9], createdAt: Date(databaseValue: row[offset + 7]),
            updatedAt: Date(databaseValue: row[offset + 8])
        )
    }
}

extension Video {
    static let columnCount = 28

    init(row: Row, at offset: Int) {
        let tagsJSON: String = row[offset + 16]
        let originallyPublished: Double? = row[offset + 26]
        self.init(
            id: row[offset], uuid: parseUUID(row[offset + 1]), channelId: row[offset + 2],
            name: row[offset + 3], description: row[offset + 4], support: row[offset + 5],
            privacy: VideoPrivacy(rawValue: row[offset + 6]) ?? .private,
            state: VideoState(rawValue: row[offset + 7]) ?? .toTranscode, stateReason: row[offset + 8],
            category: row[offset + 9], licence: row[offset + 10], language: row[offset + 11], nsfw: row[offset + 12],
            commentsPolicy: CommentsPolicy(rawValue: row[offset + 13]) ?? .enabled,
            downloadEnabled: row[offset + 14], waitTranscoding: row[offset + 15], tags: decodeTags(tagsJSON),
            duration: row[offset + 17], views: row[offset + 18], likes: row[offset + 19], dislikes: row[offset + 20],
            originalFilename: row[offset + 21], originalSize: row[offset + 22],
            createdAt: Date(databaseValue: row[offset + 23]), updatedAt: Date(databaseValue: row[offset + 24]),
            publishedAt: Date(databaseValue: row[offset + 25]),
            originallyPublishedAt: originallyPublished.map(Date.init(databaseValue:)),
            remote: (row[offset + 27] as String?).flatMap {
                try? JSONDecoder().decode(RemoteVideoSource.self, from: Data($0.utf8))
            }
        )
    }
}

/// Parses a stored lowercase UUID without Foundation's scanf-based parser.
func parseUUID(_ text: String) -> UUID {
    var bytes = [UInt8]()
    bytes.reserveCapacity(16)
    var high: UInt8?
    for char in text.utf8 where char != UInt8(ascii: "-") {
        let nibble: UInt8
        switch char {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = char - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = char - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = char - UInt8(ascii: "A") + 10
        default: return UUID(uuidString: text) ?? UUID()
        }
        if let value = high {
            bytes.append(value << 4 | nibble)
            high = nil
        } else {
            high = nibble
        }
    }
    guard bytes.count == 16 else { return UUID(uuidString: text) ?? UUID() }
    return UUID(
        uuid: (
            bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9],
            bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
        )
    )
}

/// Tags are stored as a JSON array of strings. The common case (no escapes) is split by hand;
/// anything with a backslash goes through `JSONDecoder`.
func decodeTags(_ json: String) -> [String] {
    guard json != "[]" else { return [] }
    // Bytes, not `contains("\\")`: with Foundation imported that is NSString's search (1% of a video list).
    guard !json.utf8.contains(UInt8(ascii: "\\")) else {
        return (try? JSONDecoder().decode([String].self, from: Data(json.utf8))) ?? []
    }
    var tags: [String] = []
    var current: [UInt8] = []
    var inString = false
    for byte in json.utf8 {
        if byte == UInt8(ascii: "\"") {
            if inString { tags.append(String(decoding: current, as: UTF8.self)) }
            current.removeAll(keepingCapacity: true)
            inString.toggle()
        } else if inString {
            current.append(byte)
        }
    }
    return tags
}

func encodeTags(_ tags: [String]) -> String {
    (try? String(decoding: JSONEncoder().encode(tags), as: UTF8.self)) ?? "[]"
}

extension Statement {
    /// The first row, decoded where SQLite holds it. GRDB's `Row.fetchOne` first copies every value of the row into
    /// a new `Row` (an allocation and a copy of each string), which the decoder then copies again (issue 16).
    /// `decode` must not keep the row.
    func decodeOne<T>(arguments: StatementArguments = StatementArguments(), _ decode: (Row) throws -> T) throws -> T? {
        let cursor = try Row.fetchCursor(self, arguments: arguments)
        return try withExtendedLifetime(cursor) { try cursor.next().map(decode) }
    }

    /// Every row, each decoded where SQLite holds it (see `decodeOne`).
    func decodeAll<T>(arguments: StatementArguments = StatementArguments(), _ decode: (Row) throws -> T) throws -> [T] {
        let cursor = try Row.fetchCursor(self, arguments: arguments)
        var values: [T] = []
        while let row = try cursor.next() { values.append(try decode(row)) }
        return values
    }
}
