import Foundation

/// An account's rating of a video (PeerTube's `like`, `dislike`, `none`).
public enum VideoRating: String, Sendable, CaseIterable, Codable {
    case like, dislike, none
}

/// Persistence of ratings and view counts. Ratings keep the videos' `likes` and `dislikes` counts in step.
public protocol VideoInteractionStore: Sendable {
    /// Sets (or with `.none`, removes) `accountId`'s rating of the video; returns the previous rating. A local
    /// video's counts are recounted; a remote video's (its origin's) move by the change. `url` is the
    /// remote `Like`/`Dislike` activity id, kept so its `Undo` can be matched.
    @discardableResult
    func rate(videoId: Int64, accountId: Int64, _ rating: VideoRating, url: String?) async throws -> VideoRating
    func rating(videoId: Int64, accountId: Int64) async throws -> VideoRating
    /// The rating recorded under a remote activity id, for its `Undo`.
    func rating(url: String) async throws -> (videoId: Int64, accountId: Int64)?
    /// Adds counted views (batched by `ViewCounter`).
    func addViews(_ views: [Int64: Int]) async throws
}

/// Counts views the way PeerTube's player reports them (`POST /api/v1/videos/{id}/views` every few seconds): one
/// view per viewer (session or address) and video per `window`, gathered in memory and written in batches, so a
/// popular video costs one database write and one federation message per flush, not per view. Pure: the
/// service around it owns the clock and the flushing.
public struct ViewCounter: Sendable {
    public let window: TimeInterval
    public let maxTracked: Int
    private var seen: [String: Date] = [:]
    public private(set) var pending: [Int64: Int] = [:]

    public init(window: TimeInterval = 3600, maxTracked: Int = 100_000) {
        self.window = window
        self.maxTracked = maxTracked
    }

    /// Records a viewer's heartbeat; true when it counts as a new view.
    public mutating func record(videoId: Int64, viewer: String, now: Date) -> Bool {
        let key = "\(videoId)|\(viewer)"
        if let last = seen[key], now.timeIntervalSince(last) < window { return false }
        if seen.count >= maxTracked { seen = seen.filter { now.timeIntervalSince($0.value) < window } }
        guard seen.count < maxTracked else { return false }  // Full of live viewers: stop counting new ones.
        seen[key] = now
        pending[videoId, default: 0] += 1
        return true
    }

    /// Views reported by another instance for one of our videos (already de-duplicated there), capped per batch.
    public mutating func add(videoId: Int64, count: Int) {
        pending[videoId, default: 0] += min(max(count, 0), Self.maxRemoteBatch)
    }

    public static let maxRemoteBatch = 10_000

    /// Takes the counts gathered since the last flush.
    public mutating func drain() -> [Int64: Int] {
        defer { pending = [:] }
        return pending
    }
}
