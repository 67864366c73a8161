import Foundation
import HerdCore

/// Runs one kind of job. Throw `JobFailure.permanent` when retrying cannot help; any other error is
/// taken as transient and retried with backoff.
public protocol JobHandler: Sendable {
    var kind: String { get }
    /// Attempts before giving up on transient failures.
    var maxAttempts: Int { get }
    func run(_ job: Job, progress: JobProgress) async throws
}

extension JobHandler {
    public var maxAttempts: Int { 5 }
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

    public func report(percent: Double, detail: some Encodable & Sendable) async {
        let data = try? JSONEncoder().encode(detail)
        try? await store.updateProgress(id: jobId, progress: min(100, max(0, percent)), detail: data, now: clock.now())
    }

    public func report(percent: Double) async {
        try? await store.updateProgress(id: jobId, progress: min(100, max(0, percent)), detail: nil, now: clock.now())
    }
}
