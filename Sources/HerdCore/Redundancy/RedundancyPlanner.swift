import Foundation

/// What a mirror chooses to copy (PeerTube's `redundancy.videos.strategies`), and a manual choice by an
/// administrator (never evicted by the strategies).
public enum RedundancyStrategy: String, Sendable, CaseIterable, Codable {
    case mostViews = "most-views"
    case trending
    case recentlyAdded = "recently-added"
    case manual
}

/// One configured strategy: its disk budget, how long a copy is kept at least, and (recently-added) how many
/// views a video needs first.
public struct RedundancyStrategyConfig: Sendable, Equatable {
    public var strategy: RedundancyStrategy
    /// Bytes all of this strategy's copies may take together.
    public var size: Int64
    /// A copy is kept at least this long before a better candidate may take its place.
    public var minLifetime: TimeInterval
    /// recently-added only: videos with fewer views are not copied.
    public var minViews: Int

    public init(strategy: RedundancyStrategy, size: Int64, minLifetime: TimeInterval, minViews: Int = 0) {
        self.strategy = strategy
        self.size = size
        self.minLifetime = minLifetime
        self.minViews = minViews
    }
}

/// A remote video that could be copied, or is: what the ranking looks at.
public struct RedundancyVideo: Sendable, Equatable {
    public var videoId: Int64
    public var views: Int
    public var publishedAt: Date
    /// Bytes of every file a copy holds.
    public var size: Int64

    public init(videoId: Int64, views: Int, publishedAt: Date, size: Int64) {
        self.videoId = videoId
        self.views = views
        self.publishedAt = publishedAt
        self.size = size
    }
}

/// A copy this instance holds.
public struct RedundancyCopy: Sendable, Equatable {
    public var video: RedundancyVideo
    public var strategy: RedundancyStrategy
    public var createdAt: Date

    public init(video: RedundancyVideo, strategy: RedundancyStrategy, createdAt: Date) {
        self.video = video
        self.strategy = strategy
        self.createdAt = createdAt
    }
}

/// The decision for one strategy at one moment. Pure: the scheduler around it does the copying and deleting.
///
/// - Copies past `minLifetime` are dropped, worst first, while the strategy's copies exceed its budget (it shrank).
/// - The best candidate not copied yet (by any strategy) is copied when it fits in what is left; if it does not,
///   copies past `minLifetime` that rank below it are dropped, worst first, when that makes it fit.
/// - Copies within `minLifetime` are never dropped for budget or for a better candidate; manual copies never.
public enum RedundancyPlanner {
    public struct Plan: Sendable, Equatable {
        public var copy: RedundancyVideo?
        /// Video ids whose copies go.
        public var drop: [Int64]

        public init(copy: RedundancyVideo? = nil, drop: [Int64] = []) {
            self.copy = copy
            self.drop = drop
        }
    }

    /// Whether `a` ranks before `b` for `strategy` (Herd's trending ranks by views, as its video lists do).
    public static func ranks(_ a: RedundancyVideo, before b: RedundancyVideo, for strategy: RedundancyStrategy) -> Bool
    {
        switch strategy {
        case .mostViews, .trending, .manual:
            a.views != b.views ? a.views > b.views : a.publishedAt > b.publishedAt
        case .recentlyAdded:
            a.publishedAt != b.publishedAt ? a.publishedAt > b.publishedAt : a.views > b.views
        }
    }

    public static func plan(
        _ config: RedundancyStrategyConfig, candidates: [RedundancyVideo], copies: [RedundancyCopy], now: Date
    ) -> Plan {
        guard config.strategy != .manual else { return Plan() }
        let mine = copies.filter { $0.strategy == config.strategy }
        let copied = Set(copies.map(\.video.videoId))
        var used = mine.reduce(Int64(0)) { $0 + $1.video.size }
        // Droppable: past their minimum lifetime, worst first.
        var droppable = mine.filter { now.timeIntervalSince($0.createdAt) >= config.minLifetime }
            .sorted { ranks($1.video, before: $0.video, for: config.strategy) }
        var drop: [Int64] = []
        while used > config.size, !droppable.isEmpty {
            let worst = droppable.removeFirst()
            drop.append(worst.video.videoId)
            used -= worst.video.size
        }
        let eligible = candidates.filter {
            !copied.contains($0.videoId) && $0.size <= config.size
                && (config.strategy != .recentlyAdded || $0.views >= config.minViews)
        }
        guard let best = eligible.min(by: { ranks($0, before: $1, for: config.strategy) }) else {
            return Plan(drop: drop)
        }
        if used + best.size <= config.size { return Plan(copy: best, drop: drop) }
        // Make room from copies that rank below the candidate.
        var room = config.size - used
        var extra: [Int64] = []
        for copy in droppable where ranks(best, before: copy.video, for: config.strategy) {
            extra.append(copy.video.videoId)
            room += copy.video.size
            if room >= best.size { return Plan(copy: best, drop: drop + extra) }
        }
        return Plan(drop: drop)
    }
}
