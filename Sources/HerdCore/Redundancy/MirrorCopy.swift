import Foundation

/// This instance's copy of another instance's video (issue 6): made by a strategy or by hand, verified piece by
/// piece against the origin's torrents, served under `/static/redundancy/hls/<uuid>/` and announced to the origin
/// as a `CacheFile` until `expiresAt` (renewed before then).
public struct MirrorCopy: Sendable, Equatable {
    public enum State: String, Sendable {
        /// Being downloaded and verified: nothing is served yet.
        case copying
        /// Whole and verified: served, seeded and announced.
        case ready
    }

    public var id: Int64
    public var videoId: Int64
    public var strategy: RedundancyStrategy
    public var state: State
    /// Bytes on disk (every file of the copy).
    public var size: Int64
    public var expiresAt: Date?
    /// When the files were last hashed whole against the torrents.
    public var verifiedAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: Int64, videoId: Int64, strategy: RedundancyStrategy, state: State, size: Int64, expiresAt: Date?,
        verifiedAt: Date?, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.videoId = videoId
        self.strategy = strategy
        self.state = state
        self.size = size
        self.expiresAt = expiresAt
        self.verifiedAt = verifiedAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A remote video that a strategy may copy: what ranking needs, and its origin.
public struct MirrorCandidate: Sendable, Equatable {
    public var video: RedundancyVideo
    /// The video's URL on its origin.
    public var url: String

    public init(video: RedundancyVideo, url: String) {
        self.video = video
        self.url = url
    }
}

/// Persistence of this instance's copies of remote videos.
public protocol MirrorCopyStore: Sendable {
    /// A new copy in the `copying` state; nil when the video already has one.
    func create(videoId: Int64, strategy: RedundancyStrategy, now: Date) async throws -> MirrorCopy?
    func find(id: Int64) async throws -> MirrorCopy?
    func find(videoId: Int64) async throws -> MirrorCopy?
    /// Every copy, oldest first.
    func list() async throws -> [MirrorCopy]
    func markReady(id: Int64, size: Int64, expiresAt: Date, now: Date) async throws
    func renew(id: Int64, expiresAt: Date, now: Date) async throws
    func markVerified(id: Int64, at: Date) async throws
    func delete(id: Int64) async throws
    /// Published public remote videos with HLS files: what the strategies choose from.
    func candidates() async throws -> [MirrorCandidate]
}
