public import Foundation

/// Persistence of the job queue.
public protocol JobStore: Sendable {
    func enqueue(kind: String, payload: Data, runAfter: Date, maxAttempts: Int) async throws -> Job
    /// Atomically takes the oldest due pending job of one of `kinds`, marks it running and counts the attempt.
    func claimNext(kinds: [String], now: Date) async throws -> Job?
    /// Writes back the state chosen by `RetryPolicy.settle`.
    func save(_ job: Job) async throws
    func updateProgress(id: Int64, progress: Double, detail: Data?, now: Date) async throws
    func find(id: Int64) async throws -> Job?
    func list(state: Job.State?, kind: String?, pagination: Pagination) async throws -> Page<Job>
    /// After a crash: jobs left `running` go back to `pending` (their attempt still counts).
    func requeueInterrupted(now: Date) async throws -> Int
    /// The newest job of `kind` whose payload mentions `key` (e.g. a video UUID), for progress display.
    func latest(kind: String, payloadContaining key: String) async throws -> Job?
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
