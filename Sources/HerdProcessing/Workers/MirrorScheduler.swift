import Foundation
import HerdCore
import HerdFederation
import Logging
import ServiceLifecycle

/// The mirror's clock (issue 6). At start it seeds the copies it holds; then every
/// `redundancy.videos.check_interval` it checks each copy on disk (a changed file, or one not hashed for
/// `verify_interval`, is hashed whole; a damaged copy is discarded and logged), renews copies about to expire
/// (`Update CacheFile`), and runs each strategy through `RedundancyPlanner` (copies to make, copies to drop).
/// Every `redundancy.health_check.interval` it checks the mirrors this instance advertises.
public struct MirrorScheduler: Service {
    let stores: Stores
    let copies: MirrorCopies
    let healthChecks: MirrorHealthChecks
    let settings: RedundancySettings
    let enabled: Bool
    let clock: any WallClock
    let logger: Logger

    public init(
        stores: Stores, copies: MirrorCopies, healthChecks: MirrorHealthChecks, settings: RedundancySettings,
        enabled: Bool, clock: any WallClock, logger: Logger
    ) {
        self.stores = stores
        self.copies = copies
        self.healthChecks = healthChecks
        self.settings = settings
        self.enabled = enabled
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        guard enabled else {
            // Nothing to do; returning would stop the application (a service group ends when one service does).
            try await gracefulShutdown()
            return
        }
        await cancelWhenGracefulShutdown {
            do {
                try await copies.restore()
            } catch {
                logger.error("cannot seed the copies of remote videos", metadata: ["error": "\(error)"])
            }
            await withTaskGroup(of: Void.self) { group in
                // One node of several checks the copies and the mirrors at a time (issue 18).
                group.addTask {
                    await loop(every: settings.checkInterval, alone: "mirror-check") { await checkCopies() }
                }
                group.addTask {
                    await loop(every: settings.healthCheckInterval, alone: "mirror-health") {
                        await healthChecks.checkAll()
                    }
                }
            }
        }
    }

    func loop(every seconds: Int, alone lock: String, _ body: @escaping @Sendable () async -> Void) async {
        while !Task.isCancelled {
            do {
                try await stores.singletons.alone(lock, body)
            } catch {
                logger.warning("the mirror's round did not start", metadata: ["round": "\(lock)", "error": "\(error)"])
            }
            try? await Task.sleep(for: .seconds(seconds))
        }
    }

    /// One round of `redundancy.videos.check_interval` (an hour by default), logged once done: what a watcher (or a
    /// test waiting for the strategies to have run) sees of it.
    func checkCopies() async {
        do {
            try await checkIntegrity()
            try await renew()
            try await runStrategies()
            let held = try await stores.copies.list()
            logger.info(
                "mirror check done",
                metadata: ["copies": "\(held.count)", "ready": "\(held.filter { $0.state == .ready }.count)"])
        } catch {
            logger.warning("the mirror's check failed", metadata: ["error": "\(error)"])
        }
    }

    /// Cheap every time (sizes and times against the manifest); whole hashes when something changed or it is time.
    func checkIntegrity() async throws {
        for copy in try await stores.copies.list() where copy.state == .ready {
            try await copies.checkOnDisk(copy)
        }
    }

    /// Copies expiring within two checks are announced again for another lifetime.
    func renew() async throws {
        let now = clock.now()
        for copy in try await stores.copies.list() where copy.state == .ready {
            guard let expires = copy.expiresAt,
                expires.timeIntervalSince(now) < TimeInterval(2 * settings.checkInterval)
            else { continue }
            try await copies.renew(copy)
        }
    }

    func runStrategies() async throws {
        let now = clock.now()
        let allowed = try await copies.followedHosts(allowedOnly: true)
        let followed = try await copies.followedHosts(allowedOnly: false)
        let all = try await stores.copies.candidates()
        let byVideo = Dictionary(all.map { ($0.video.videoId, $0) }, uniquingKeysWith: { first, _ in first })
        let held = try await stores.copies.list()
        // A copy of an instance no longer followed goes (manual ones too: the mirror has no business there).
        for copy in held {
            guard let host = byVideo[copy.videoId].flatMap({ URLParts($0.url)?.authority }) else { continue }
            if !followed.contains(host) || (copy.strategy != .manual && !allowed.contains(host)) {
                try await copies.remove(copy, reason: "\(host) is no longer followed or allowed")
            }
        }
        let candidates = all.filter { URLParts($0.url).map { allowed.contains($0.authority) } ?? false }.map(\.video)
        var current = try await stores.copies.list().map { copy in
            RedundancyCopy(
                video: byVideo[copy.videoId]?.video
                    ?? RedundancyVideo(videoId: copy.videoId, views: 0, publishedAt: copy.createdAt, size: copy.size),
                strategy: copy.strategy, createdAt: copy.createdAt)
        }
        for config in settings.strategies {
            let plan = RedundancyPlanner.plan(config, candidates: candidates, copies: current, now: now)
            for videoId in plan.drop {
                guard let copy = try await stores.copies.find(videoId: videoId) else { continue }
                try await copies.remove(copy, reason: "\(config.strategy.rawValue): budget or a better candidate")
                current.removeAll { $0.video.videoId == videoId }
            }
            if let video = plan.copy {
                do {
                    let made = try await copies.request(videoId: video.videoId, strategy: config.strategy)
                    current.append(RedundancyCopy(video: video, strategy: config.strategy, createdAt: made.createdAt))
                } catch {
                    logger.warning(
                        "a strategy could not start a copy",
                        metadata: ["strategy": "\(config.strategy.rawValue)", "error": "\(error)"])
                }
            }
        }
    }
}
