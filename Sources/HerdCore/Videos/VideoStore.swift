import Foundation

/// What is needed to create a video.
public struct NewVideo: Sendable {
    public var uuid: UUID
    public var channelId: Int64
    public var name: String
    public var description: String?
    public var support: String?
    public var privacy: VideoPrivacy
    public var state: VideoState
    public var category: Int?
    public var licence: Int?
    public var language: String?
    public var nsfw: Bool
    public var commentsPolicy: CommentsPolicy
    public var downloadEnabled: Bool
    public var waitTranscoding: Bool
    public var tags: [String]
    public var originalFilename: String?
    public var originalSize: Int64
    public var originallyPublishedAt: Date?
    /// Remote videos only: what the origin says (local videos get these from transcoding and the clock).
    public var duration: Int
    public var views: Int
    public var createdAt: Date?
    public var publishedAt: Date?
    public var remote: RemoteVideoSource?

    public init(
        uuid: UUID = UUID(), channelId: Int64, name: String, description: String? = nil, support: String? = nil,
        privacy: VideoPrivacy = .public, state: VideoState = .toTranscode, category: Int? = nil,
        licence: Int? = nil, language: String? = nil, nsfw: Bool = false, commentsPolicy: CommentsPolicy = .enabled,
        downloadEnabled: Bool = true, waitTranscoding: Bool = true, tags: [String] = [],
        originalFilename: String? = nil, originalSize: Int64 = 0, originallyPublishedAt: Date? = nil,
        duration: Int = 0, views: Int = 0, createdAt: Date? = nil, publishedAt: Date? = nil,
        remote: RemoteVideoSource? = nil
    ) {
        self.duration = duration
        self.views = views
        self.createdAt = createdAt
        self.publishedAt = publishedAt
        self.remote = remote
        self.uuid = uuid
        self.channelId = channelId
        self.name = name
        self.description = description
        self.support = support
        self.privacy = privacy
        self.state = state
        self.category = category
        self.licence = licence
        self.language = language
        self.nsfw = nsfw
        self.commentsPolicy = commentsPolicy
        self.downloadEnabled = downloadEnabled
        self.waitTranscoding = waitTranscoding
        self.tags = tags
        self.originalFilename = originalFilename
        self.originalSize = originalSize
        self.originallyPublishedAt = originallyPublishedAt
    }
}

/// Persistence of videos.
/// A video as the watch page shows it: with its files and the mirrors that hold a copy.
public struct VideoWithMedia: Sendable {
    public var video: VideoWithOwner
    public var files: [VideoFile]
    public var mirrors: [VideoMirror]

    public init(video: VideoWithOwner, files: [VideoFile], mirrors: [VideoMirror]) {
        self.video = video
        self.files = files
        self.mirrors = mirrors
    }
}

public protocol VideoStore: Sendable {
    func create(_ video: NewVideo) async throws -> Video
    func find(_ reference: VideoReference) async throws -> VideoWithOwner?
    /// A video with its files and the mirrors that hold it now, in one read (the watch page's request).
    func findWithMedia(_ reference: VideoReference, now: Date) async throws -> VideoWithMedia?
    /// A remote video by its ActivityPub id.
    func find(url: String) async throws -> VideoWithOwner?
    func list(_ query: VideoQuery) async throws -> Page<VideoWithOwner>
    /// Saves every field of `video` (tags included) and bumps `updatedAt`.
    func update(_ video: Video) async throws
    func delete(id: Int64) async throws
    /// Bytes of originals uploaded by the user's account, optionally only since a date.
    func usedQuota(userId: Int64, since: Date?) async throws -> Int64
    func count(channelId: Int64) async throws -> Int
}
