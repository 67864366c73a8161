import Foundation
import HerdCore
import Logging
import ServiceLifecycle

/// The workers in the server process: `concurrency` loops that claim due jobs from the database, run
/// their handler and write back the outcome.
public struct JobWorkers: Service {
    let store: any JobStore
    let handlers: [String: any JobHandler]
    let concurrency: Int
    let clock: any WallClock
    let retry: RetryPolicy
    let logger: Logger
    let pollInterval: Duration

    public init(
        store: any JobStore, handlers: [any JobHandler], concurrency: Int, clock: any WallClock = SystemWallClock(),
        retry: RetryPolicy = RetryPolicy(), logger: Logger, pollInterval: Duration = .milliseconds(500)
    ) {
        self.store = store
        self.handlers = Dictionary(handlers.map { ($0.kind, $0) }, uniquingKeysWith: { first, _ in first })
        self.concurrency = max(1, concurrency)
        self.clock = clock
        self.retry = retry
        self.logger = logger
        self.pollInterval = pollInterval
    }

    /// Runs until shutdown. Call `JobStore.requeueInterrupted` once at start-up, before this.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<concurrency {
                    group.addTask {
                        while !Task.isCancelled {
                            let worked = (try? await runNext()) ?? false
                            if !worked { try? await Task.sleep(for: pollInterval) }
                        }
                    }
                }
            }
        }
    }

    /// Claims and runs one due job. Returns false when none was due.
    @discardableResult
    public func runNext() async throws -> Bool {
        guard let job = try await store.claimNext(kinds: Array(handlers.keys), now: clock.now()) else { return false }
        guard let handler = handlers[job.kind] else { return false }
        var logger = self.logger
        logger[metadataKey: "job"] = "\(job.id)"
        logger[metadataKey: "kind"] = "\(job.kind)"
        let outcome: JobOutcome
        // Each claim counts an attempt, interrupted runs included (a crash, a kill, a stop): a job claimed past its
        // attempts is not run again, or a file that kills the process would be retried at every start for ever.
        if job.attempts > job.maxAttempts {
            let reason = "interrupted \(job.attempts - 1) times (the server stopped or died while it ran)"
            try? await handler.abandoned(job, reason: reason)
            let settled = retry.settle(job, outcome: .permanentFailure(reason), now: clock.now())
            try await store.save(settled)
            logger.error("job abandoned", metadata: ["reason": "\(reason)"])
            return true
        }
        do {
            try await handler.run(job, progress: JobProgress(store: store, jobId: job.id, clock: clock))
            outcome = .completed
        } catch let failure as JobFailure {
            outcome = .permanentFailure(failure.reason)
        } catch is CancellationError {
            // Shutting down: leave the job running; the next start queues it again.
            return true
        } catch {
            outcome = .transientFailure("\(error)")
        }
        let settled = retry.settle(job, outcome: outcome, now: clock.now())
        try await store.save(settled)
        switch settled.state {
        case .completed: logger.info("job completed", metadata: ["attempts": "\(settled.attempts)"])
        case .pending: logger.warning("job failed, will retry", metadata: ["error": "\(settled.lastError ?? "")"])
        default: logger.error("job failed", metadata: ["error": "\(settled.lastError ?? "")"])
        }
        return true
    }
}
