import Foundation
import HerdCore

/// Views and rating changes gathered in memory between flushes (`InteractionFlusher` in the composition root
/// writes them and tells other instances in batches).
public actor InteractionTracker {
    private var counter: ViewCounter
    private var touched: Set<Int64> = []

    public init(window: TimeInterval = 3600) {
        counter = ViewCounter(window: window)
    }

    /// A viewer's heartbeat; true when it counts as a new view.
    public func view(videoId: Int64, viewer: String, now: Date) -> Bool {
        counter.record(videoId: videoId, viewer: viewer, now: now)
    }

    /// Views another instance counted for one of this instance's videos.
    public func remoteViews(videoId: Int64, count: Int) { counter.add(videoId: videoId, count: count) }

    /// A local video's counts changed (a rating): followers get an `Update` with the next flush.
    public func touch(videoId: Int64) { touched.insert(videoId) }

    /// What was gathered since the last call.
    public func drain() -> (views: [Int64: Int], touched: Set<Int64>) {
        defer { touched = [] }
        return (counter.drain(), touched)
    }
}
