import Foundation
import HerdCore
import HerdProcessing

/// Video metadata as clients send it on upload and update: JSON, or form fields (multipart or
/// urlencoded, where every value is text and arrays are repeated `tags[]`).
struct VideoFieldsInput: Decodable, Sendable, UploadedVideoFields {
    var name: String?
    var channelId: Int64?
    var description: String?
    var support: String?
    var privacy: Int?
    var category: Int?
    var licence: Int?
    var language: String?
    var nsfw: Bool?
    var tags: [String]?
    var commentsEnabled: Bool?
    var commentsPolicy: Int?
    var downloadEnabled: Bool?
    var waitTranscoding: Bool?
    var originallyPublishedAt: String?
    /// Resumable uploads only: the original file name.
    var filename: String?
    /// The passwords of a password-protected video (privacy 5): required when it becomes one.
    var videoPasswords: [String]?

    init() {}

    /// Builds the input from text fields; a value that does not parse is a 400 naming the field.
    init(fields: [String: [String]]) throws {
        func one(_ name: String) -> String? { fields[name]?.last }
        func integer(_ name: String) throws -> Int? {
            guard let text = one(name), !text.isEmpty, text != "null" else { return nil }
            guard let value = Int(text) else { throw HerdError.badRequest("\(name) must be an integer") }
            return value
        }
        func boolean(_ name: String) throws -> Bool? {
            guard let text = one(name), !text.isEmpty else { return nil }
            switch text.lowercased() {
            case "true", "1": return true
            case "false", "0": return false
            default: throw HerdError.badRequest("\(name) must be true or false")
            }
        }
        name = one("name")
        channelId = try integer("channelId").map(Int64.init)
        description = one("description")
        support = one("support")
        privacy = try integer("privacy")
        category = try integer("category")
        licence = try integer("licence")
        language = one("language").flatMap { $0.isEmpty || $0 == "null" ? nil : $0 }
        nsfw = try boolean("nsfw")
        let tagValues =
            (fields["tags"] ?? [])
            + fields.filter { $0.key.hasPrefix("tags[") }.sorted { $0.key < $1.key }.flatMap(\.value)
        tags = tagValues.isEmpty ? nil : tagValues
        commentsEnabled = try boolean("commentsEnabled")
        commentsPolicy = try integer("commentsPolicy")
        downloadEnabled = try boolean("downloadEnabled")
        waitTranscoding = try boolean("waitTranscoding")
        originallyPublishedAt = one("originallyPublishedAt")
        filename = one("filename")
        let passwords =
            (fields["videoPasswords"] ?? [])
            + fields.filter { $0.key.hasPrefix("videoPasswords[") }.sorted { $0.key < $1.key }.flatMap(\.value)
        videoPasswords = passwords.isEmpty ? nil : passwords
    }

    /// The passwords to store for a video of `privacy` once these fields are applied (`before`: its privacy until
    /// now, nil for a new one): checked, and required when it becomes password-protected; nil when they stay.
    func passwords(privacy: VideoPrivacy, before: VideoPrivacy?) throws -> [String]? {
        guard privacy == .passwordProtected else {
            if videoPasswords != nil { throw HerdError.badRequest("videoPasswords are for privacy 5 only") }
            return nil
        }
        guard let videoPasswords else {
            if before == .passwordProtected { return nil }
            throw HerdError.badRequest("a password-protected video needs videoPasswords")
        }
        return try VideoPassword.validated(videoPasswords)
    }

    /// Checks every present field and writes it into `video`.
    func apply(to video: inout Video) throws {
        if let name {
            try VideoRules.validateName(name)
            video.name = name
        }
        if let description {
            try VideoRules.validateDescription(description)
            video.description = description
        }
        if let support {
            try VideoRules.validateSupport(support)
            video.support = support
        }
        if let privacy {
            guard let value = VideoPrivacy(rawValue: privacy) else {
                throw HerdError.badRequest(
                    "privacy must be 1 (public), 2 (unlisted), 3 (private), 4 (internal) or 5 (password protected)")
            }
            video.privacy = value
        }
        if let category {
            try VideoConstants.validateCategory(category)
            video.category = category
        }
        if let licence {
            try VideoConstants.validateLicence(licence)
            video.licence = licence
        }
        if let language {
            try VideoConstants.validateLanguage(language)
            video.language = language
        }
        if let nsfw { video.nsfw = nsfw }
        if let tags {
            try VideoRules.validateTags(tags)
            video.tags = tags
        }
        if let commentsPolicy {
            guard let policy = CommentsPolicy(rawValue: commentsPolicy) else {
                throw HerdError.badRequest("commentsPolicy must be 1, 2 or 3")
            }
            video.commentsPolicy = policy
        } else if let commentsEnabled {
            video.commentsPolicy = commentsEnabled ? .enabled : .disabled
        }
        if let downloadEnabled { video.downloadEnabled = downloadEnabled }
        if let waitTranscoding { video.waitTranscoding = waitTranscoding }
        if let originallyPublishedAt {
            guard let date = try? Date(originallyPublishedAt, strategy: .iso8601) else {
                throw HerdError.badRequest("originallyPublishedAt must be an ISO 8601 date")
            }
            video.originallyPublishedAt = date
        }
    }

    /// A new video's metadata, validated; `name` and `channelId` are required.
    func newVideo(uuid: UUID, originalFilename: String?, originalSize: Int64) throws -> NewVideo {
        guard let name else { throw HerdError.badRequest("name is required") }
        guard let channelId else { throw HerdError.badRequest("channelId is required") }
        let now = Date()
        var video = Video(
            id: 0, uuid: uuid, channelId: channelId, name: name, privacy: .public, state: .toTranscode,
            createdAt: now, updatedAt: now, publishedAt: now
        )
        try apply(to: &video)
        return NewVideo(
            uuid: uuid, channelId: channelId, name: video.name, description: video.description,
            support: video.support, privacy: video.privacy, state: .toTranscode, category: video.category,
            licence: video.licence, language: video.language, nsfw: video.nsfw, commentsPolicy: video.commentsPolicy,
            downloadEnabled: video.downloadEnabled, waitTranscoding: video.waitTranscoding, tags: video.tags,
            originalFilename: originalFilename, originalSize: originalSize,
            originallyPublishedAt: video.originallyPublishedAt
        )
    }
}
