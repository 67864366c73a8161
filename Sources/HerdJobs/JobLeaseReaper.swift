import Foundation
import HerdCore
import Logging
import ServiceLifecycle

/// Returns to the queue the jobs whose worker stopped renewing their lease (a crash, a `kill -9`, a machine gone).
/// Every process runs one, servers and workers alike: with a shared database any of them may find another's lapsed
/// jobs, and one `UPDATE` hands each job back once. One process reaps at a time (`locks`), so the expiries are
/// logged and counted once.
public struct JobLeaseReaper: Service {
    let store: any JobStore
    let clock: any WallClock
    let interval: Duration
    let logger: Logger
    let metrics: JobMetrics
    let locks: any SingletonLocks

    public init(
        store: any JobStore, clock: any WallClock = SystemWallClock(), interval: Duration = .seconds(15),
        logger: Logger, metrics: JobMetrics = JobMetrics(), locks: any SingletonLocks = UnsharedSingletonLocks()
    ) {
        self.store = store
        self.locks = locks
        self.clock = clock
        self.interval = interval
        self.logger = logger
        self.metrics = metrics
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                _ = try? await locks.alone("lease-reaper") { try await reapOnce() }
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// One pass: the jobs handed back.
    @discardableResult
    public func reapOnce() async throws -> [Job] {
        let jobs = try await store.reapExpiredLeases(now: clock.now())
        for job in jobs {
            logger.warning(
                "job lease expired; queued again",
                metadata: [
                    "job": "\(job.id)", "kind": "\(job.kind)", "holder": "\(job.lease?.holder ?? "?")",
                    "attempts": "\(job.attempts)",
                ])
            metrics.leaseExpired(job)
        }
        return jobs
    }
}
