import Foundation
import HerdCore
import HerdJobs
import HerdStorage
import Logging
import Testing

/// A handler whose behaviour each test scripts: succeed, fail for a while, or fail for good.
final class ScriptedHandler: JobHandler, @unchecked Sendable {
    let kind = "test.scripted"
    let maxAttempts = 3
    private let lock = NSLock()
    private var script: [Result<Void, any Error>]
    private(set) var runs: [Int64] = []
    private(set) var abandonedWith: String?

    func abandoned(_ job: Job, reason: String) async throws { lock.withLock { abandonedWith = reason } }

    init(_ script: [Result<Void, any Error>]) {
        self.script = script
    }

    func run(_ job: Job, progress: JobProgress) async throws {
        await progress.report(percent: 50, detail: ["fps": 42])
        let next: Result<Void, any Error> = lock.withLock {
            runs.append(job.id)
            return script.isEmpty ? .success(()) : script.removeFirst()
        }
        try next.get()
    }
}

struct Flaky: Error {}

/// A handler that runs until its task is cancelled.
final class BlockingHandler: JobHandler, @unchecked Sendable {
    let kind = "test.blocking"
    let started = Signal()
    private let lock = NSLock()
    private var wasCancelled = false
    var cancelled: Bool { lock.withLock { wasCancelled } }

    func run(_ job: Job, progress: JobProgress) async throws {
        started.fire()
        while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(10)) }
        lock.withLock { wasCancelled = true }
        throw CancellationError()
    }
}

/// Fired once; waiters resume when it is.
final class Signal: @unchecked Sendable {
    private let lock = NSLock()
    private var fired = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func fire() {
        let resumed = lock.withLock {
            fired = true
            defer { waiters = [] }
            return waiters
        }
        for waiter in resumed { waiter.resume() }
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            let now = lock.withLock {
                if fired { return true }
                waiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }
}

@Suite("Job queue")
struct JobQueueTests {
    static func makeStore() throws -> (any JobStore, () -> Void) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("herd-jobs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let database = try SQLiteDatabase(path: directory.appendingPathComponent("herd.sqlite").path)
        return (database.stores.jobs, { try? FileManager.default.removeItem(at: directory) })
    }

    static func workers(_ store: any JobStore, _ handler: ScriptedHandler, clock: ManualWallClock) -> JobWorkers {
        JobWorkers(store: store, handlers: [handler], concurrency: 1, clock: clock, logger: Logger(label: "test"))
    }

    @Test("backoff doubles and is capped")
    func backoff() {
        let policy = RetryPolicy(baseDelay: 10, maximumDelay: 100)
        #expect(policy.delay(afterAttempt: 1) == 10)
        #expect(policy.delay(afterAttempt: 2) == 20)
        #expect(policy.delay(afterAttempt: 3) == 40)
        #expect(policy.delay(afterAttempt: 9) == 100)
    }

    @Test("a transient failure is retried after the backoff, then succeeds")
    func retryThenSucceed() async throws {
        let (store, cleanup) = try Self.makeStore()
        defer { cleanup() }
        let clock = ManualWallClock(Date(timeIntervalSince1970: 1_800_000_000))  // exact in storage
        let handler = ScriptedHandler([.failure(Flaky()), .success(())])
        let workers = Self.workers(store, handler, clock: clock)
        let job = try await store.enqueue(
            kind: handler.kind, payload: Data("{}".utf8), runAfter: clock.now(), maxAttempts: 3)

        #expect(try await workers.runNext())
        var stored = try #require(try await store.find(id: job.id))
        #expect(stored.state == .pending)
        #expect(stored.attempts == 1)
        #expect(stored.lastError?.contains("Flaky") == true)
        #expect(stored.runAfter == clock.now().addingTimeInterval(10))
        #expect(try await workers.runNext() == false)  // not due yet
        clock.advance(by: 10)
        #expect(try await workers.runNext())
        stored = try #require(try await store.find(id: job.id))
        #expect(stored.state == .completed)
        #expect(stored.attempts == 2)
        #expect(stored.progress == 100)
        #expect(handler.runs == [job.id, job.id])
    }

    @Test("permanent failures and exhausted attempts end failed, with the reason")
    func failures() async throws {
        let (store, cleanup) = try Self.makeStore()
        defer { cleanup() }
        let clock = ManualWallClock(Date(timeIntervalSince1970: 1_800_000_000))  // exact in storage
        let handler = ScriptedHandler([
            .failure(JobFailure.permanent("not a video")), .failure(Flaky()), .failure(Flaky()), .failure(Flaky()),
        ])
        let workers = Self.workers(store, handler, clock: clock)
        let doomed = try await store.enqueue(
            kind: handler.kind, payload: Data("{}".utf8), runAfter: clock.now(), maxAttempts: 3)
        #expect(try await workers.runNext())
        let failed = try #require(try await store.find(id: doomed.id))
        #expect(failed.state == .failed)
        #expect(failed.lastError == "not a video")

        let flaky = try await store.enqueue(
            kind: handler.kind, payload: Data("{}".utf8), runAfter: clock.now(), maxAttempts: 3)
        for _ in 0..<3 {
            #expect(try await workers.runNext())
            clock.advance(by: 3600)
        }
        let exhausted = try #require(try await store.find(id: flaky.id))
        #expect(exhausted.state == .failed)
        #expect(exhausted.attempts == 3)
        #expect(try await store.list(state: .failed, kind: nil, pagination: Pagination()).total == 2)
    }

    @Test("a job whose every run was interrupted ends failed after its attempts instead of running again for ever")
    func interruptedPastAttempts() async throws {
        let (store, cleanup) = try Self.makeStore()
        defer { cleanup() }
        let clock = ManualWallClock(Date(timeIntervalSince1970: 1_800_000_000))
        let job = try await store.enqueue(
            kind: "test.scripted", payload: Data("{}".utf8), runAfter: clock.now(), maxAttempts: 2)
        // Two runs, each ended by its worker dying (claimed, never renewed, handed back when the lease ran out).
        for _ in 0..<2 {
            #expect(
                try await store.claimNext(kinds: ["test.scripted"], holder: "dead", lease: 10, now: clock.now()) != nil)
            clock.advance(by: 11)
            #expect(try await store.reapExpiredLeases(now: clock.now()).map(\.id) == [job.id])
        }
        let handler = ScriptedHandler([])
        #expect(try await Self.workers(store, handler, clock: clock).runNext())
        #expect(handler.runs.isEmpty)
        let ended = try #require(try await store.find(id: job.id))
        #expect(ended.state == .failed)
        #expect(ended.lastError?.contains("interrupted 2 times") == true)
        #expect(handler.abandonedWith?.contains("interrupted 2 times") == true)
    }

    @Test("a dead worker's job goes back to the queue when its lease expires, not before; progress is stored")
    func crashRecovery() async throws {
        let (store, cleanup) = try Self.makeStore()
        defer { cleanup() }
        let clock = ManualWallClock(Date(timeIntervalSince1970: 1_800_000_000))  // exact in storage
        let job = try await store.enqueue(
            kind: "test.scripted", payload: Data(#"{"video":"abc-123"}"#.utf8), runAfter: clock.now(), maxAttempts: 3)
        let claimed = try #require(
            try await store.claimNext(kinds: ["test.scripted"], holder: "dead", lease: 60, now: clock.now()))
        #expect(claimed.id == job.id && claimed.state == .running)
        let progress = JobProgress(
            store: store, jobId: job.id, lease: try #require(claimed.lease), leaseDuration: 60, clock: clock)
        await progress.report(percent: 37.5, detail: ["fps": 30])
        #expect(try await store.find(id: job.id)?.progress == 37.5)
        #expect(try await store.latest(kind: "test.scripted", payloadContaining: "abc-123")?.id == job.id)
        let handler = ScriptedHandler([])
        let workers = Self.workers(store, handler, clock: clock)
        #expect(try await workers.runNext() == false)  // nobody else takes it while the lease holds

        // The worker dies here. Its lease runs out; any process's reaper hands the job back.
        clock.advance(by: 59)
        #expect(try await store.reapExpiredLeases(now: clock.now()).isEmpty)
        clock.advance(by: 2)
        #expect(
            try await JobLeaseReaper(store: store, clock: clock, logger: Logger(label: "test")).reapOnce().count == 1)
        #expect(try await workers.runNext())
        let done = try #require(try await store.find(id: job.id))
        #expect(done.state == .completed)
        #expect(done.attempts == 2)
    }

    @Test("a worker whose lease was taken stops its job at the next heartbeat, and its outcome changes nothing")
    func lostLease() async throws {
        let (store, cleanup) = try Self.makeStore()
        defer { cleanup() }
        let clock = ManualWallClock(Date(timeIntervalSince1970: 1_800_000_000))
        let handler = BlockingHandler()
        let job = try await store.enqueue(
            kind: handler.kind, payload: Data("{}".utf8), runAfter: clock.now(), maxAttempts: 3)
        // Heartbeats every 250 ms (a quarter of the lease).
        let workers = JobWorkers(
            store: store, handlers: [handler], concurrency: 1, clock: clock, logger: Logger(label: "test"),
            lease: JobLeasing(holder: "slow", duration: 1))
        let attempt = Task { try await workers.runNext() }
        await handler.started.wait()
        // The holder seems gone (a partition, a stall): another process reaps it well after its lease, and another
        // worker takes it.
        let later = clock.now() + 3600
        #expect(try await store.reapExpiredLeases(now: later).map(\.id) == [job.id])
        let taken = try #require(
            try await store.claimNext(kinds: [handler.kind], holder: "fresh", lease: 600, now: later))
        #expect(taken.attempts == 2)
        // The first worker's next heartbeat finds the lease gone and cancels its handler; it settles nothing.
        #expect(try await attempt.value)
        #expect(handler.cancelled)
        let stored = try #require(try await store.find(id: job.id))
        #expect(stored.state == .running && stored.lease?.holder == "fresh" && stored.attempts == 2)
    }

    @Test("a stopping worker hands its running job back to the queue at once")
    func releaseOnShutdown() async throws {
        let (store, cleanup) = try Self.makeStore()
        defer { cleanup() }
        let handler = BlockingHandler()
        let job = try await store.enqueue(
            kind: handler.kind, payload: Data("{}".utf8), runAfter: Date(), maxAttempts: 3)
        let workers = JobWorkers(
            store: store, handlers: [handler], concurrency: 1, logger: Logger(label: "test"),
            pollInterval: .milliseconds(20))
        let running = Task { try await workers.run() }
        await handler.started.wait()
        running.cancel()
        _ = try? await running.value
        #expect(handler.cancelled)
        let stored = try #require(try await store.find(id: job.id))
        #expect(stored.state == .pending && stored.attempts == 1 && stored.lease == nil)
        #expect(stored.lastError?.contains("stopped") == true)
    }

    @Test("workers in a service process jobs concurrently and stop on cancellation")
    func service() async throws {
        let (store, cleanup) = try Self.makeStore()
        defer { cleanup() }
        let handler = ScriptedHandler([])
        for _ in 0..<6 {
            _ = try await store.enqueue(kind: handler.kind, payload: Data("{}".utf8), runAfter: Date(), maxAttempts: 3)
        }
        let workers = JobWorkers(
            store: store, handlers: [handler], concurrency: 2, logger: Logger(label: "test"),
            pollInterval: .milliseconds(20)
        )
        let task = Task { try await workers.run() }
        // Bounded by turns, not by the clock: when the whole suite runs at once on 2 cores, blocking tests can hold
        // every thread of the pool for minutes, and the workers then wait exactly as long as this loop does. The
        // loop ends as soon as the jobs are done.
        var turns = 0
        while try await store.list(state: .completed, kind: nil, pagination: Pagination()).total < 6, turns < 4500 {
            try await Task.sleep(for: .milliseconds(20))
            turns += 1
        }
        task.cancel()
        _ = try? await task.value
        #expect(try await store.list(state: .completed, kind: nil, pagination: Pagination()).total == 6)
        #expect(Set(handler.runs).count == 6)
    }
}
