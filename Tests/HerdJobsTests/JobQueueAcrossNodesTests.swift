import Foundation
import HerdCore
import HerdJobs
import HerdPostgres
import HerdTestSupport
import Logging
import Testing

/// The queue shared by several processes on one PostgreSQL database (issue 18).
@Suite("Job queue across nodes")
struct JobQueueAcrossNodesTests {
    @Test("a job queued on one node starts at once on another node's idle worker (LISTEN/NOTIFY), not at its poll")
    func wakeupAcrossNodes() async throws {
        let database = try await PostgresTestServer.shared.database()
        defer { Task { await database.drop() } }
        let (web, worker) = try (
            PostgresStorage(url: database.url, pool: 2, logger: PostgresTestServer.quietLogger),
            PostgresStorage(url: database.url, pool: 2, listensForJobs: true, logger: PostgresTestServer.quietLogger)
        )
        let running = [Task { await web.run() }, Task { await worker.run() }]
        defer { for task in running { task.cancel() } }
        // The worker node's listener rings once when its LISTEN is in place.
        await worker.stores.jobs.wakeups.wait(since: 0, upTo: .seconds(30))
        try #require(worker.stores.jobs.wakeups.generation > 0)

        let handler = BlockingHandler()
        // Its poll alone would take ten minutes: the test's bound (one minute) fails it long before.
        let idle = IdleSignallingStore(worker.stores.jobs)
        let workers = JobWorkers(
            store: idle, handlers: [handler], concurrency: 1, logger: Logger(label: "test"),
            pollInterval: .seconds(600), lease: JobLeasing(holder: "worker-node"))
        let working = Task { try await workers.run() }
        defer { working.cancel() }
        // The worker found nothing to claim and waits.
        await idle.foundNothing.wait()
        let job = try await web.stores.jobs.enqueue(
            kind: handler.kind, payload: Data("{}".utf8), runAfter: Date(), maxAttempts: 3)
        let started = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await handler.started.wait()
                return true
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(60))
                return false
            }
            defer { group.cancelAll() }
            return await group.next() ?? false
        }
        #expect(started)
        #expect(try await web.stores.jobs.find(id: job.id)?.lease?.holder == "worker-node")
    }
}

/// A node's job store that fires `foundNothing` the first time a claim finds no job.
struct IdleSignallingStore: JobStore {
    let base: any JobStore
    let foundNothing = Signal()

    init(_ base: any JobStore) { self.base = base }

    var wakeups: JobWakeups { base.wakeups }

    func claimNext(kinds: [String], holder: String, lease: TimeInterval, now: Date) async throws -> Job? {
        let job = try await base.claimNext(kinds: kinds, holder: holder, lease: lease, now: now)
        if job == nil { foundNothing.fire() }
        return job
    }

    func enqueue(kind: String, payload: Data, runAfter: Date, maxAttempts: Int) async throws -> Job {
        try await base.enqueue(kind: kind, payload: payload, runAfter: runAfter, maxAttempts: maxAttempts)
    }
    func settle(_ job: Job) async throws -> Bool { try await base.settle(job) }
    func heartbeat(_ lease: JobLease, jobId: Int64, progress: Double?, detail: Data?, until: Date, now: Date)
        async throws -> Bool
    {
        try await base.heartbeat(lease, jobId: jobId, progress: progress, detail: detail, until: until, now: now)
    }
    func release(_ lease: JobLease, jobId: Int64, now: Date) async throws {
        try await base.release(lease, jobId: jobId, now: now)
    }
    func reapExpiredLeases(now: Date) async throws -> [Job] { try await base.reapExpiredLeases(now: now) }
    func find(id: Int64) async throws -> Job? { try await base.find(id: id) }
    func list(state: Job.State?, kind: String?, pagination: Pagination) async throws -> Page<Job> {
        try await base.list(state: state, kind: kind, pagination: pagination)
    }
    func latest(kind: String, payloadContaining key: String) async throws -> Job? {
        try await base.latest(kind: kind, payloadContaining: key)
    }
    func counts() async throws -> [JobCount] { try await base.counts() }
}
