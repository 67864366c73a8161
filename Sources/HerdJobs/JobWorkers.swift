import Foundation
import HerdCore
import Logging
import ServiceLifecycle

/// `concurrency` loops that claim due jobs from the shared queue, run their handler under a lease they keep renewing,
/// and write back the outcome. Any number of processes on any number of machines may run them (issue 18).
public struct JobWorkers: Service {
    let store: any JobStore
    let handlers: [String: any JobHandler]
    let concurrency: Int
    let clock: any WallClock
    let retry: RetryPolicy
    let logger: Logger
    /// How long an idle worker waits for `JobStore.wakeups` before it looks anyway: jobs become due by time too (a
    /// retry's delay), and a wake-up can be missed (a listening connection lost).
    let pollInterval: Duration
    let lease: JobLeasing
    let metrics: JobMetrics

    public init(
        store: any JobStore, handlers: [any JobHandler], concurrency: Int, clock: any WallClock = SystemWallClock(),
        retry: RetryPolicy = RetryPolicy(), logger: Logger, pollInterval: Duration = .seconds(2),
        lease: JobLeasing = JobLeasing(), metrics: JobMetrics = JobMetrics()
    ) {
        self.metrics = metrics
        self.store = store
        self.handlers = Dictionary(handlers.map { ($0.kind, $0) }, uniquingKeysWith: { first, _ in first })
        self.concurrency = max(1, concurrency)
        self.clock = clock
        self.retry = retry
        self.logger = logger
        self.pollInterval = pollInterval
        self.lease = lease
    }

    /// Runs until shutdown; jobs running then go back to the queue at once.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<concurrency {
                    group.addTask {
                        while !Task.isCancelled {
                            let seen = store.wakeups.generation
                            let worked = (try? await runNext()) ?? false
                            if !worked { await store.wakeups.wait(since: seen, upTo: pollInterval) }
                        }
                    }
                }
            }
        }
    }

    /// How an attempt ended for the worker.
    enum Attempt: Sendable {
        case finished(JobOutcome)
        /// The lease was found lost: another worker may run the job now; this one writes nothing.
        case leaseLost
        /// This process is stopping.
        case stopped
    }

    /// Claims and runs one due job. Returns false when none was due.
    @discardableResult
    public func runNext() async throws -> Bool {
        guard
            let job = try await store.claimNext(
                kinds: Array(handlers.keys), holder: lease.holder, lease: lease.duration, now: clock.now()),
            let jobLease = job.lease
        else { return false }
        guard let handler = handlers[job.kind] else { return false }
        var logger = self.logger
        logger[metadataKey: "job"] = "\(job.id)"
        logger[metadataKey: "kind"] = "\(job.kind)"
        // Each claim counts an attempt, interrupted runs included (a crash, a kill, a lost lease): a job claimed past
        // its attempts is not run again, or a file that kills the process would be retried for ever.
        if job.attempts > job.maxAttempts {
            let reason = "interrupted \(job.attempts - 1) times (its worker stopped or died while it ran)"
            try? await handler.abandoned(job, reason: reason)
            let settled = retry.settle(job, outcome: .permanentFailure(reason), now: clock.now())
            _ = try await store.settle(settled)
            logger.error("job abandoned", metadata: ["reason": "\(reason)"])
            return true
        }
        let started = ContinuousClock.now
        let ended = await attempt(job, handler: handler, lease: jobLease)
        let elapsed = ContinuousClock.now - started
        switch ended {
        case .stopped:
            metrics.attempt(kind: job.kind, outcome: "released", elapsed: elapsed)
            // This task is cancelled (the process stops), and a store may refuse work from a cancelled task.
            let (store, clock) = (self.store, self.clock)
            await Task { try? await store.release(jobLease, jobId: job.id, now: clock.now()) }.value
            logger.notice("job handed back to the queue: this process is stopping")
        case .leaseLost:
            metrics.attempt(kind: job.kind, outcome: "lease_lost", elapsed: elapsed)
            logger.warning("job stopped: its lease was lost, another worker may run it")
        case .finished(let outcome):
            let settled = retry.settle(job, outcome: outcome, now: clock.now())
            // Written even when the process is stopping meanwhile: the work is done.
            let store = self.store
            guard try await Task(operation: { try await store.settle(settled) }).value else {
                metrics.attempt(kind: job.kind, outcome: "lease_lost", elapsed: elapsed)
                logger.warning("job outcome dropped: its lease was lost before it finished")
                return true
            }
            switch settled.state {
            case .completed:
                metrics.attempt(kind: job.kind, outcome: "completed", elapsed: elapsed)
                logger.info("job completed", metadata: ["attempts": "\(settled.attempts)"])
            case .pending:
                metrics.attempt(kind: job.kind, outcome: "retry", elapsed: elapsed)
                logger.warning("job failed, will retry", metadata: ["error": "\(settled.lastError ?? "")"])
            default:
                metrics.attempt(kind: job.kind, outcome: "failed", elapsed: elapsed)
                logger.error("job failed", metadata: ["error": "\(settled.lastError ?? "")"])
            }
        }
        return true
    }

    /// Runs the handler beside a heartbeat that renews the lease; whichever ends first ends the other.
    func attempt(_ job: Job, handler: any JobHandler, lease jobLease: JobLease) async -> Attempt {
        let lost = LeaseLoss()
        let progress = JobProgress(
            store: store, jobId: job.id, lease: jobLease, leaseDuration: lease.duration, clock: clock, lost: lost)
        return await withTaskGroup(of: Attempt?.self) { group in
            group.addTask {
                do {
                    try await handler.run(job, progress: progress)
                    return lost.isLost ? .leaseLost : .finished(.completed)
                } catch let failure as JobFailure {
                    return lost.isLost ? .leaseLost : .finished(.permanentFailure(failure.reason))
                } catch {
                    if lost.isLost { return .leaseLost }
                    if Task.isCancelled || error is CancellationError { return .stopped }
                    return .finished(.transientFailure("\(error)"))
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: lease.heartbeatInterval)
                    if Task.isCancelled { return nil }
                    if await !progress.heartbeat() { return .leaseLost }
                }
                return nil
            }
            var result = Attempt.stopped
            for await value in group {
                guard let value else { continue }
                result = value
                group.cancelAll()
                break
            }
            return result
        }
    }
}

/// How workers lease jobs: who they are and for how long a claim holds without a heartbeat.
public struct JobLeasing: Sendable {
    public var holder: String
    /// A job whose holder has not renewed its lease for this long goes back to the queue.
    public var duration: TimeInterval

    public init(holder: String = JobLease.holderName, duration: TimeInterval = 60) {
        self.holder = holder
        self.duration = max(1, duration)
    }

    /// Four beats per lease: a missed beat or two (a slow database) does not lose the job.
    var heartbeatInterval: Duration { .milliseconds(Int64(duration * 250)) }
}
