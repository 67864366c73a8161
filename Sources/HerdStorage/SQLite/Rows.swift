import Foundation
import GRDB
import HerdCore

/// Column lists with prefixes, so joined rows can be decoded without name clashes.
enum Columns {
    static let account = """
        a.id AS a_id, a.user_id AS a_user_id, a.name AS a_name, a.host AS a_host, a.display_name AS a_display_name,
        a.description AS a_description, a.created_at AS a_created_at, a.updated_at AS a_updated_at
        """
    static let channel = """
        c.id AS c_id, c.account_id AS c_account_id, c.name AS c_name, c.host AS c_host,
        c.display_name AS c_display_name, c.description AS c_description, c.support AS c_support,
        c.created_at AS c_created_at, c.updated_at AS c_updated_at
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
        v.originally_published_at AS v_originally_published_at
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

extension Account {
    init(prefixedRow row: Row) {
        self.init(
            id: row["a_id"], userId: row["a_user_id"], name: row["a_name"], displayName: row["a_display_name"],
            description: row["a_description"], host: (row["a_host"] as String).hostOrNil,
            createdAt: Date(databaseValue: row["a_created_at"]), updatedAt: Date(databaseValue: row["a_updated_at"])
        )
    }
}

extension Channel {
    init(prefixedRow row: Row) {
        self.init(
            id: row["c_id"], accountId: row["c_account_id"], name: row["c_name"], displayName: row["c_display_name"],
            description: row["c_description"], support: row["c_support"], host: (row["c_host"] as String).hostOrNil,
            createdAt: Date(databaseValue: row["c_created_at"]), updatedAt: Date(databaseValue: row["c_updated_at"])
        )
    }
}

extension Video {
    init(prefixedRow row: Row) {
        let tagsJSON: String = row["v_tags"]
        let tags = (try? JSONDecoder().decode([String].self, from: Data(tagsJSON.utf8))) ?? []
        let originallyPublished: Double? = row["v_originally_published_at"]
        self.init(
            id: row["v_id"], uuid: UUID(uuidString: row["v_uuid"]) ?? UUID(), channelId: row["v_channel_id"],
            name: row["v_name"], description: row["v_description"], support: row["v_support"],
            privacy: VideoPrivacy(rawValue: row["v_privacy"]) ?? .private,
            state: VideoState(rawValue: row["v_state"]) ?? .toTranscode, stateReason: row["v_state_reason"],
            category: row["v_category"], licence: row["v_licence"], language: row["v_language"], nsfw: row["v_nsfw"],
            commentsPolicy: CommentsPolicy(rawValue: row["v_comments_policy"]) ?? .enabled,
            downloadEnabled: row["v_download_enabled"], waitTranscoding: row["v_wait_transcoding"], tags: tags,
            duration: row["v_duration"], views: row["v_views"], likes: row["v_likes"], dislikes: row["v_dislikes"],
            originalFilename: row["v_original_filename"], originalSize: row["v_original_size"],
            createdAt: Date(databaseValue: row["v_created_at"]), updatedAt: Date(databaseValue: row["v_updated_at"]),
            publishedAt: Date(databaseValue: row["v_published_at"]),
            originallyPublishedAt: originallyPublished.map(Date.init(databaseValue:))
        )
    }
}

func encodeTags(_ tags: [String]) -> String {
    (try? String(decoding: JSONEncoder().encode(tags), as: UTF8.self)) ?? "[]"
}
