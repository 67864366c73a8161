import Foundation
import HerdCore
import Testing

/// Budget and lifetime rules of the mirroring strategies, on a fake clock.
@Suite("Redundancy planning")
struct RedundancyPlannerTests {
    let t0 = Date(timeIntervalSince1970: 1_000_000)
    let day: TimeInterval = 86_400

    func video(_ id: Int64, views: Int, age: TimeInterval = 0, size: Int64 = 100) -> RedundancyVideo {
        RedundancyVideo(videoId: id, views: views, publishedAt: t0 - age, size: size)
    }

    @Test("most-views copies the most viewed video not copied yet that fits the budget")
    func picksBest() {
        let config = RedundancyStrategyConfig(strategy: .mostViews, size: 250, minLifetime: day)
        let candidates = [video(1, views: 5), video(2, views: 50), video(3, views: 500, size: 1000)]
        // Video 3 is too big for the whole budget; 2 is the best that fits.
        #expect(RedundancyPlanner.plan(config, candidates: candidates, copies: [], now: t0).copy?.videoId == 2)
        let copies = [RedundancyCopy(video: candidates[1], strategy: .mostViews, createdAt: t0)]
        #expect(RedundancyPlanner.plan(config, candidates: candidates, copies: copies, now: t0).copy?.videoId == 1)
        // A video another strategy (or an administrator) copied is not copied twice.
        let manual = [RedundancyCopy(video: candidates[1], strategy: .manual, createdAt: t0)]
        #expect(RedundancyPlanner.plan(config, candidates: candidates, copies: manual, now: t0).copy?.videoId == 1)
    }

    @Test("a better candidate replaces worse copies only after their minimum lifetime")
    func lifetime() {
        let config = RedundancyStrategyConfig(strategy: .mostViews, size: 200, minLifetime: day)
        let old = [
            RedundancyCopy(video: video(1, views: 10), strategy: .mostViews, createdAt: t0),
            RedundancyCopy(video: video(2, views: 20), strategy: .mostViews, createdAt: t0),
        ]
        let better = video(3, views: 100)
        // Within a day: nothing moves.
        let early = RedundancyPlanner.plan(config, candidates: [better], copies: old, now: t0 + day - 1)
        #expect(early == RedundancyPlanner.Plan())
        // After a day: the worst copy (1) goes to make room.
        let later = RedundancyPlanner.plan(config, candidates: [better], copies: old, now: t0 + day)
        #expect(later == RedundancyPlanner.Plan(copy: better, drop: [1]))
        // A candidate worse than every copy replaces none.
        let worse = RedundancyPlanner.plan(config, candidates: [video(4, views: 1)], copies: old, now: t0 + 2 * day)
        #expect(worse == RedundancyPlanner.Plan())
    }

    @Test("a shrunk budget drops copies, worst first, once their lifetime has passed; manual copies stay")
    func shrink() {
        let copies = [
            RedundancyCopy(video: video(1, views: 10), strategy: .trending, createdAt: t0),
            RedundancyCopy(video: video(2, views: 30), strategy: .trending, createdAt: t0),
            RedundancyCopy(video: video(3, views: 20), strategy: .trending, createdAt: t0 + day),
            RedundancyCopy(video: video(4, views: 0), strategy: .manual, createdAt: t0),
        ]
        let config = RedundancyStrategyConfig(strategy: .trending, size: 150, minLifetime: day)
        // At t0 + day, copies 1 and 2 may go, 3 may not: the worst of those (1) goes; 200 bytes remain > 150, then 2.
        let plan = RedundancyPlanner.plan(config, candidates: [], copies: copies, now: t0 + day)
        #expect(plan.drop == [1, 2])
        #expect(
            RedundancyPlanner.plan(
                RedundancyStrategyConfig(strategy: .manual, size: 0, minLifetime: 0), candidates: [], copies: copies,
                now: t0 + 10 * day) == RedundancyPlanner.Plan())
    }

    @Test("recently-added takes the newest video with enough views")
    func recentlyAdded() {
        let config = RedundancyStrategyConfig(strategy: .recentlyAdded, size: 1000, minLifetime: day, minViews: 10)
        let candidates = [
            video(1, views: 50, age: 3 * day), video(2, views: 5, age: 0), video(3, views: 12, age: day),
        ]
        #expect(RedundancyPlanner.plan(config, candidates: candidates, copies: [], now: t0).copy?.videoId == 3)
    }
}
