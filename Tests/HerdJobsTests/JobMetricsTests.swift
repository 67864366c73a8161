import Foundation
import HerdCore
import HerdJobs
import Logging
import MetricsTestKit
import Testing

@Suite("Job metrics")
struct JobMetricsTests {
    @Test("attempts are counted by kind and outcome and timed; the reaper counts the leases it finds expired")
    func attemptsAndExpiries() async throws {
        let (store, cleanup) = try JobQueueTests.makeStore()
        defer { cleanup() }
        let clock = ManualWallClock(Date(timeIntervalSince1970: 1_800_000_000))
        let metrics = TestMetrics()
        let handler = ScriptedHandler([.failure(Flaky()), .success(())])
        _ = try await store.enqueue(kind: handler.kind, payload: Data("{}".utf8), runAfter: clock.now(), maxAttempts: 3)
        let workers = JobWorkers(
            store: store, handlers: [handler], concurrency: 1, clock: clock, retry: RetryPolicy(baseDelay: 1),
            logger: Logger(label: "test"), metrics: JobMetrics(factory: metrics))
        #expect(try await workers.runNext())
        clock.advance(by: 2)
        #expect(try await workers.runNext())
        for outcome in ["retry", "completed"] {
            let counter = try metrics.expectCounter(
                "herd_job_attempts_total", [("kind", handler.kind), ("outcome", outcome)])
            #expect(counter.values == [1], "\(outcome)")
        }
        #expect(try metrics.expectTimer("herd_job_duration_seconds", [("kind", handler.kind)]).values.count == 2)

        let dead = try await store.enqueue(
            kind: "test.other", payload: Data("{}".utf8), runAfter: clock.now(), maxAttempts: 3)
        _ = try await store.claimNext(kinds: ["test.other"], holder: "dead", lease: 10, now: clock.now())
        clock.advance(by: 11)
        let reaper = JobLeaseReaper(
            store: store, clock: clock, logger: Logger(label: "test"), metrics: JobMetrics(factory: metrics))
        #expect(try await reaper.reapOnce().map(\.id) == [dead.id])
        #expect(try metrics.expectCounter("herd_job_lease_expiries_total", [("kind", "test.other")]).values == [1])
    }
}
