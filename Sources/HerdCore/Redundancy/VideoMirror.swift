import Foundation

/// Who may mirror this instance's videos (`remote_redundancy.videos.accept_from`, PeerTube's setting).
public enum MirrorAcceptance: String, Sendable, CaseIterable {
    /// Any instance allowed to federate.
    case anybody
    /// Only instances this one follows.
    case followings
    case nobody
}

/// Another instance's copy of one of this instance's videos (a `CacheFile` it announced): listed in the video's
/// `streamingPlaylists[].redundancies`, until it expires or is undone.
public struct VideoMirror: Sendable, Equatable {
    public var id: Int64
    public var videoId: Int64
    /// The CacheFile's id (on the mirror).
    public var url: String
    /// Where the mirror serves the copy of the HLS playlist (the CacheFile's `url.href`).
    public var baseURL: String
    /// The mirror's `host[:port]`.
    public var host: String
    public var expiresAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: Int64, videoId: Int64, url: String, baseURL: String, host: String, expiresAt: Date?, createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.videoId = videoId
        self.url = url
        self.baseURL = baseURL
        self.host = host
        self.expiresAt = expiresAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// Persistence of the mirrors announced for local videos.
public protocol MirrorStore: Sendable {
    /// Records a CacheFile (created or renewed), keyed by its url.
    @discardableResult
    func save(videoId: Int64, url: String, baseURL: String, host: String, expiresAt: Date?) async throws -> VideoMirror
    /// The video's mirrors not expired at `now`, oldest first.
    func list(videoId: Int64, now: Date) async throws -> [VideoMirror]
    /// Every mirror not expired at `now`, of any video.
    func all(now: Date) async throws -> [VideoMirror]
    func find(url: String) async throws -> VideoMirror?
    func delete(url: String) async throws
}
