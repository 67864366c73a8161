import Foundation
import Synchronization

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

/// Lets a running job report how far it is (percent, plus free-form figures such as fps and ETA). Each report also
/// renews the job's lease; a report that finds the lease lost marks it, and the worker stops the job.
public struct JobProgress: Sendable {
    let store: any JobStore
    let jobId: Int64
    let lease: JobLease
    let leaseDuration: TimeInterval
    let clock: any WallClock
    let lost: LeaseLoss

    public init(
        store: any JobStore, jobId: Int64, lease: JobLease, leaseDuration: TimeInterval, clock: any WallClock,
        lost: LeaseLoss = LeaseLoss()
    ) {
        self.store = store
        self.jobId = jobId
        self.lease = lease
        self.leaseDuration = leaseDuration
        self.clock = clock
        self.lost = lost
    }

    public func report(percent: Double, detail: some Encodable & Sendable) async {
        await record(percent: percent, detail: try? JSONEncoder().encode(detail))
    }

    public func report(percent: Double) async {
        await record(percent: percent, detail: nil)
    }

    /// Renews the lease without news (the worker does this on a timer). False when the lease is lost.
    @discardableResult
    public func heartbeat() async -> Bool {
        await record(percent: nil, detail: nil)
    }

    @discardableResult
    private func record(percent: Double?, detail: Data?) async -> Bool {
        let now = clock.now()
        // A database that does not answer is not a lost lease: the next beat tries again, and the lease outlives
        // several missed ones.
        guard
            let held = try? await store.heartbeat(
                lease, jobId: jobId, progress: percent.map { min(100, max(0, $0)) }, detail: detail,
                until: now.addingTimeInterval(leaseDuration), now: now)
        else { return !lost.isLost }
        if !held { lost.mark() }
        return held
    }
}

/// Set once a job's lease is found lost; the worker then cancels the job.
public final class LeaseLoss: Sendable {
    private let flag = Mutex(false)

    public init() {}

    public var isLost: Bool { flag.withLock { $0 } }

    func mark() { flag.withLock { $0 = true } }
}
