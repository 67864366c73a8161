import Foundation

/// A video and its metadata. Files live in `VideoFile`s; the owner is reached through the channel.
public struct Video: Sendable, Equatable {
    public var id: Int64
    public var uuid: UUID
    public var channelId: Int64
    public var name: String
    public var description: String?
    public var support: String?
    public var privacy: VideoPrivacy
    public var state: VideoState
    /// Why the video is in a failed state, safe to show to its owner.
    public var stateReason: String?
    public var category: Int?
    public var licence: Int?
    public var language: String?
    public var nsfw: Bool
    public var commentsPolicy: CommentsPolicy
    public var downloadEnabled: Bool
    public var waitTranscoding: Bool
    public var tags: [String]
    /// Whole seconds.
    public var duration: Int
    public var views: Int
    public var likes: Int
    public var dislikes: Int
    /// The name the uploader gave the original file.
    public var originalFilename: String?
    /// Size in bytes of the uploaded original; counted against the owner's quota.
    public var originalSize: Int64
    public var createdAt: Date
    public var updatedAt: Date
    public var publishedAt: Date
    public var originallyPublishedAt: Date?
    /// Set for a video federated from another instance: its ActivityPub id and the origin's media.
    public var remote: RemoteVideoSource?

    public init(
        id: Int64, uuid: UUID, channelId: Int64, name: String, description: String? = nil, support: String? = nil,
        privacy: VideoPrivacy, state: VideoState, stateReason: String? = nil, category: Int? = nil,
        licence: Int? = nil, language: String? = nil, nsfw: Bool = false, commentsPolicy: CommentsPolicy = .enabled,
        downloadEnabled: Bool = true, waitTranscoding: Bool = true, tags: [String] = [], duration: Int = 0,
        views: Int = 0, likes: Int = 0, dislikes: Int = 0, originalFilename: String? = nil, originalSize: Int64 = 0,
        createdAt: Date, updatedAt: Date, publishedAt: Date, originallyPublishedAt: Date? = nil,
        remote: RemoteVideoSource? = nil
    ) {
        self.remote = remote
        self.id = id
        self.uuid = uuid
        self.channelId = channelId
        self.name = name
        self.description = description
        self.support = support
        self.privacy = privacy
        self.state = state
        self.stateReason = stateReason
        self.category = category
        self.licence = licence
        self.language = language
        self.nsfw = nsfw
        self.commentsPolicy = commentsPolicy
        self.downloadEnabled = downloadEnabled
        self.waitTranscoding = waitTranscoding
        self.tags = tags
        self.duration = duration
        self.views = views
        self.likes = likes
        self.dislikes = dislikes
        self.originalFilename = originalFilename
        self.originalSize = originalSize
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.publishedAt = publishedAt
        self.originallyPublishedAt = originallyPublishedAt
    }

    public var shortUUID: String { ShortUUID.encode(uuid) }
    public var isLocal: Bool { remote == nil }
}

/// A video with its channel and the channel's owner: what every API view needs, read in one query.
public struct VideoWithOwner: Sendable, Equatable {
    public var video: Video
    public var channel: Channel
    public var account: Account

    public init(video: Video, channel: Channel, account: Account) {
        self.video = video
        self.channel = channel
        self.account = account
    }
}
