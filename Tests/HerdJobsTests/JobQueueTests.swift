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
        // Two runs, each ended by the process dying (claimed, then queued again at the next start).
        for _ in 0..<2 {
            #expect(try await store.claimNext(kinds: ["test.scripted"], now: clock.now()) != nil)
            #expect(try await store.requeueInterrupted(now: clock.now()) == 1)
        }
        let handler = ScriptedHandler([])
        #expect(try await Self.workers(store, handler, clock: clock).runNext())
        #expect(handler.runs.isEmpty)
        let ended = try #require(try await store.find(id: job.id))
        #expect(ended.state == .failed)
        #expect(ended.lastError?.contains("interrupted 2 times") == true)
        #expect(handler.abandonedWith?.contains("interrupted 2 times") == true)
    }

    @Test("jobs left running by a crash are queued again on start; progress is stored")
    func crashRecovery() async throws {
        let (store, cleanup) = try Self.makeStore()
        defer { cleanup() }
        let clock = ManualWallClock(Date(timeIntervalSince1970: 1_800_000_000))  // exact in storage
        let job = try await store.enqueue(
            kind: "test.scripted", payload: Data(#"{"video":"abc-123"}"#.utf8), runAfter: clock.now(), maxAttempts: 3)
        let claimed = try #require(try await store.claimNext(kinds: ["test.scripted"], now: clock.now()))
        #expect(claimed.id == job.id)
        #expect(claimed.state == .running)
        try await store.updateProgress(id: job.id, progress: 37.5, detail: Data(#"{"fps":30}"#.utf8), now: clock.now())
        #expect(try await store.find(id: job.id)?.progress == 37.5)
        #expect(try await store.latest(kind: "test.scripted", payloadContaining: "abc-123")?.id == job.id)
        #expect(try await store.claimNext(kinds: ["test.scripted"], now: clock.now()) == nil)  // nobody else takes it

        // The process dies here. On the next start:
        #expect(try await store.requeueInterrupted(now: clock.now()) == 1)
        let handler = ScriptedHandler([])
        #expect(try await Self.workers(store, handler, clock: clock).runNext())
        let done = try #require(try await store.find(id: job.id))
        #expect(done.state == .completed)
        #expect(done.attempts == 2)
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
