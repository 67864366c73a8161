import Foundation

/// Every kind of job Herd runs, named as PeerTube's job types are; each has one payload type (`JobPayload`).
public enum JobKind: String, Sendable, CaseIterable {
    /// `TranscodeVideoPayload`: probe, transcode and publish an uploaded video.
    case videoTranscoding = "video-transcoding"
    /// `CopyVideoPayload`: copy a remote video for this instance's mirror of it (issue 6).
    case videoRedundancy = "video-redundancy"
    /// `DeliverActivityPayload`: one signed POST of one activity to one inbox, retried for days.
    case activityDelivery = "activitypub-http-unicast"
    /// `BackfillOutboxPayload`: the videos a newly followed instance published before the follow.
    case outboxBackfill = "activitypub-outbox-backfill"
}

/// What a job of one kind carries, stored as JSON in the job's row.
public protocol JobPayload: Codable, Sendable {
    static var kind: JobKind { get }
}

extension JobPayload {
    /// The payload of `job`, which must be of this payload's kind.
    public init(of job: Job) throws {
        guard job.kind == Self.kind.rawValue else {
            throw HerdError.internalError("job \(job.id) is a \(job.kind) job, not \(Self.kind.rawValue)")
        }
        self = try JSONDecoder().decode(Self.self, from: job.payload)
    }
}

extension NewJob {
    /// A job of `payload`'s kind.
    public init(_ payload: some JobPayload, runAfter: Date, maxAttempts: Int) throws {
        self.init(
            kind: type(of: payload).kind.rawValue, payload: try JSONEncoder().encode(payload), runAfter: runAfter,
            maxAttempts: maxAttempts)
    }
}

extension JobStore {
    /// Queues a job of `payload`'s kind.
    @discardableResult
    public func enqueue(_ payload: some JobPayload, runAfter: Date, maxAttempts: Int) async throws -> Job {
        let job = try NewJob(payload, runAfter: runAfter, maxAttempts: maxAttempts)
        return try await enqueue(kind: job.kind, payload: job.payload, runAfter: runAfter, maxAttempts: maxAttempts)
    }
}

/// Probe, transcode and publish the local video `videoUUID` (lowercase).
public struct TranscodeVideoPayload: JobPayload, Equatable {
    public static let kind = JobKind.videoTranscoding
    public var videoUUID: String

    public init(videoUUID: UUID) { self.videoUUID = videoUUID.lowercasedString }
}

/// Copy (or check again) the mirror copy `copyId`.
public struct CopyVideoPayload: JobPayload, Equatable {
    public static let kind = JobKind.videoRedundancy
    public var copyId: Int64

    public init(copyId: Int64) { self.copyId = copyId }
}

/// POST `activity` to `inbox`, signed by `signer`'s key.
public struct DeliverActivityPayload: JobPayload, Equatable {
    public static let kind = JobKind.activityDelivery
    public var inbox: String
    /// The activity, serialized once: every retry sends the same bytes.
    public var activity: String
    /// `account:<id>` or `channel:<id>`: whose key signs it.
    public var signer: String

    public init(inbox: String, activity: String, signer: LocalActor) {
        self.inbox = inbox
        self.activity = activity
        self.signer =
            switch signer {
            case .account(let id): "account:\(id)"
            case .channel(let id): "channel:\(id)"
            }
    }

    public var signerActor: LocalActor? {
        let parts = signer.split(separator: ":")
        guard parts.count == 2, let id = Int64(parts[1]) else { return nil }
        switch parts[0] {
        case "account": return .account(id)
        case "channel": return .channel(id)
        default: return nil
        }
    }
}

/// Read the followed instance's `outbox` and store the videos in it.
public struct BackfillOutboxPayload: JobPayload, Equatable {
    public static let kind = JobKind.outboxBackfill
    public var outbox: String

    public init(outbox: String) { self.outbox = outbox }
}
