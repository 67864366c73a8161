import Foundation

/// Runs one kind of job. Throw `JobFailure.permanent` when retrying cannot help; any other error is
/// taken as transient and retried with backoff.
public protocol JobHandler: Sendable {
    var kind: String { get }
    /// Attempts before giving up on transient failures.
    var maxAttempts: Int { get }
    func run(_ job: Job, progress: JobProgress) async throws
    /// The job was claimed more often than it may be attempted: every earlier run was interrupted (the process
    /// stopped or died), so it ends failed with `reason` instead of running again; clean up what depends on it.
    func abandoned(_ job: Job, reason: String) async throws
}

extension JobHandler {
    public var maxAttempts: Int { 5 }
    public func abandoned(_ job: Job, reason: String) async throws {}
}

/// A failure that retrying cannot fix, with a reason safe to show to the job's owner.
public struct JobFailure: Error, Sendable, CustomStringConvertible {
    public var reason: String

    public static func permanent(_ reason: String) -> JobFailure { JobFailure(reason: reason) }

    public var description: String { reason }
}

/// Lets a running job report how far it is (percent, plus free-form figures such as fps and ETA).
public struct JobProgress: Sendable {
    let store: any JobStore
    let jobId: Int64
    let clock: any WallClock

    public init(store: any JobStore, jobId: Int64, clock: any WallClock) {
        self.store = store
        self.jobId = jobId
        self.clock = clock
    }

    public func report(percent: Double, detail: some Encodable & Sendable) async {
        let data = try? JSONEncoder().encode(detail)
        try? await store.updateProgress(id: jobId, progress: min(100, max(0, percent)), detail: data, now: clock.now())
    }

    public func report(percent: Double) async {
        try? await store.updateProgress(id: jobId, progress: min(100, max(0, percent)), detail: nil, now: clock.now())
    }
}
