public import Foundation

/// Persistence of the job queue, shared by every process of an instance (issue 18): any number of workers claim from
/// it, each claim a lease that the holder renews and that fences its writes.
public protocol JobStore: Sendable {
    /// Rung when a job may have become due for this process's workers (queued, handed back, reaped).
    var wakeups: JobWakeups { get }
    func enqueue(kind: String, payload: Data, runAfter: Date, maxAttempts: Int) async throws -> Job
    /// Atomically takes the oldest due pending job of one of `kinds` for `holder`: marks it running, counts the
    /// attempt and leases it until `now + lease` under a new token (`Job.lease`). Concurrent claimers never take
    /// the same job.
    func claimNext(kinds: [String], holder: String, lease: TimeInterval, now: Date) async throws -> Job?
    /// Writes back the state chosen by `RetryPolicy.settle`, only while the job still carries `job.lease`'s token.
    /// False: the lease was lost (expired and reaped, maybe taken by another worker), and nothing was written.
    func settle(_ job: Job) async throws -> Bool
    /// Renews the lease until `until` and, when given, records progress (0...100) and its detail. False: the lease
    /// was lost, and the holder must stop.
    func heartbeat(_ lease: JobLease, jobId: Int64, progress: Double?, detail: Data?, until: Date, now: Date)
        async throws -> Bool
    /// Puts a job the holder stops running (a graceful shutdown) back in the queue at once; its attempt still counts.
    func release(_ lease: JobLease, jobId: Int64, now: Date) async throws
    /// Running jobs whose lease expired before `now` go back to pending (their attempt still counts; the next claim
    /// sees it). Returns them as they were, for logs and metrics. Every process runs this now and then.
    func reapExpiredLeases(now: Date) async throws -> [Job]
    func find(id: Int64) async throws -> Job?
    func list(state: Job.State?, kind: String?, pagination: Pagination) async throws -> Page<Job>
    /// The newest job of `kind` whose payload mentions `key` (e.g. a video UUID), for progress display.
    func latest(kind: String, payloadContaining key: String) async throws -> Job?
    /// How many jobs there are of each kind in each state (the metrics' queue depth).
    func counts() async throws -> [JobCount]
}

/// The number of jobs of one kind in one state.
public struct JobCount: Sendable, Equatable {
    public var kind: String
    public var state: Job.State
    public var count: Int

    public init(kind: String, state: Job.State, count: Int) {
        self.kind = kind
        self.state = state
        self.count = count
    }
}

/// A job to enqueue.
public struct NewJob: Sendable, Equatable {
    public var kind: String
    public var payload: Data
    public var runAfter: Date
    public var maxAttempts: Int

    public init(kind: String, payload: Data, runAfter: Date, maxAttempts: Int) {
        self.kind = kind
        self.payload = payload
        self.runAfter = runAfter
        self.maxAttempts = maxAttempts
    }
}
