public import Foundation

/// A unit of background work kept in the database, so nothing is lost on crash or restart.
public struct Job: Sendable, Equatable {
    public enum State: String, Sendable, CaseIterable, Codable {
        /// Waiting for `runAfter`.
        case pending
        /// Claimed by a worker.
        case running
        case completed
        /// Out of attempts, or failed permanently.
        case failed
    }

    public var id: Int64
    public var kind: String
    /// The job's input, as JSON.
    public var payload: Data
    public var state: State
    public var attempts: Int
    public var maxAttempts: Int
    public var runAfter: Date
    /// 0...100 while running.
    public var progress: Double?
    /// Extra progress figures (fps, ETA) as JSON, shown to administrators and owners.
    public var progressDetail: Data?
    public var lastError: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    /// Who runs the job now (set while it is running): the claim's holder, token and expiry.
    public var lease: JobLease?

    public init(
        id: Int64, kind: String, payload: Data, state: State, attempts: Int, maxAttempts: Int, runAfter: Date,
        progress: Double? = nil, progressDetail: Data? = nil, lastError: String? = nil, createdAt: Date,
        updatedAt: Date, startedAt: Date? = nil, finishedAt: Date? = nil, lease: JobLease? = nil
    ) {
        self.lease = lease
        self.id = id
        self.kind = kind
        self.payload = payload
        self.state = state
        self.attempts = attempts
        self.maxAttempts = maxAttempts
        self.runAfter = runAfter
        self.progress = progress
        self.progressDetail = progressDetail
        self.lastError = lastError
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }
}

/// A running job's claim (issue 18). Whoever holds a job proves it with the token: progress, the heartbeat and the
/// outcome are written only while the job still carries it. A holder that stops renewing (a crash, a partition) loses
/// the job when `expiresAt` passes: the reaper of any process puts it back in the queue, and writes under the old token
/// change nothing.
public struct JobLease: Sendable, Equatable, Codable {
    /// The process holding it (`host:pid:random`, as `JobLease.holderName` makes it).
    public var holder: String
    public var token: UUID
    public var expiresAt: Date

    public init(holder: String, token: UUID, expiresAt: Date) {
        self.holder = holder
        self.token = token
        self.expiresAt = expiresAt
    }

    /// This process's holder name: its host, its pid, and a random part (pids are reused).
    public static let holderName: String = {
        let host = ProcessInfo.processInfo.hostName
        let random = UUID().uuidString.prefix(8).lowercased()
        return "\(host):\(ProcessInfo.processInfo.processIdentifier):\(random)"
    }()
}

/// How a job attempt ended, as the worker reports it.
public enum JobOutcome: Sendable, Equatable {
    case completed
    /// Worth retrying later (a network error, a busy resource).
    case transientFailure(String)
    /// Retrying cannot help (a file that is not a video).
    case permanentFailure(String)
}

/// Exponential backoff with a cap: 10 s, 20 s, 40 s, … up to `maximumDelay`.
public struct RetryPolicy: Sendable, Equatable {
    public var baseDelay: TimeInterval
    public var maximumDelay: TimeInterval

    public init(baseDelay: TimeInterval = 10, maximumDelay: TimeInterval = 3600) {
        self.baseDelay = baseDelay
        self.maximumDelay = maximumDelay
    }

    /// The wait before attempt `attempt + 1`, after `attempt` attempts (1-based) have failed.
    public func delay(afterAttempt attempt: Int) -> TimeInterval {
        let exponent = Double(max(0, attempt - 1))
        return min(maximumDelay, baseDelay * pow(2, min(exponent, 30)))
    }

    /// The job's next state after an attempt: what a worker writes back. Pure, so it is tested alone.
    public func settle(_ job: Job, outcome: JobOutcome, now: Date) -> Job {
        var next = job
        next.updatedAt = now
        switch outcome {
        case .completed:
            next.state = .completed
            next.progress = 100
            next.lastError = nil
            next.finishedAt = now
        case .permanentFailure(let reason):
            next.state = .failed
            next.lastError = reason
            next.finishedAt = now
        case .transientFailure(let reason):
            next.lastError = reason
            if job.attempts >= job.maxAttempts {
                next.state = .failed
                next.finishedAt = now
            } else {
                next.state = .pending
                next.runAfter = now.addingTimeInterval(delay(afterAttempt: job.attempts))
                next.progress = nil
            }
        }
        return next
    }
}

extension Job {
    /// PeerTube's name for the job's state: waiting and delayed jobs are both Herd's `pending`.
    public func peerTubeState(now: Date) -> String {
        switch state {
        case .running: "active"
        case .completed: "completed"
        case .failed: "failed"
        case .pending: runAfter > now ? "delayed" : "waiting"
        }
    }
}
