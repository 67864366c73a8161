import Foundation

/// A report of a video, comment or account (PeerTube's abuse; ActivityPub `Flag`), by a local or remote account.
public struct Abuse: Sendable, Equatable {
    public enum State: Int, Sendable, CaseIterable {
        case pending = 1, rejected = 2, accepted = 3

        public var label: String {
            switch self {
            case .pending: "Pending"
            case .rejected: "Rejected"
            case .accepted: "Accepted"
            }
        }
    }

    public var id: Int64
    /// The remote `Flag` activity's id; nil for local reports.
    public var url: String?
    public var reporterAccountId: Int64?
    public var videoId: Int64?
    public var commentId: Int64?
    public var flaggedAccountId: Int64?
    public var reason: String
    public var state: State
    public var createdAt: Date

    public init(
        id: Int64, url: String?, reporterAccountId: Int64?, videoId: Int64?, commentId: Int64?,
        flaggedAccountId: Int64?, reason: String, state: State, createdAt: Date
    ) {
        self.id = id
        self.url = url
        self.reporterAccountId = reporterAccountId
        self.videoId = videoId
        self.commentId = commentId
        self.flaggedAccountId = flaggedAccountId
        self.reason = reason
        self.state = state
        self.createdAt = createdAt
    }

    public static let maxReasonLength = 3000
}

/// What is needed to file a report.
public struct NewAbuse: Sendable {
    public var url: String?
    public var reporterAccountId: Int64
    public var videoId: Int64?
    public var commentId: Int64?
    public var flaggedAccountId: Int64?
    public var reason: String

    public init(
        url: String? = nil, reporterAccountId: Int64, videoId: Int64? = nil, commentId: Int64? = nil,
        flaggedAccountId: Int64? = nil, reason: String
    ) {
        self.url = url
        self.reporterAccountId = reporterAccountId
        self.videoId = videoId
        self.commentId = commentId
        self.flaggedAccountId = flaggedAccountId
        self.reason = reason
    }
}

/// Persistence of reports.
public protocol AbuseStore: Sendable {
    /// Files a report; a remote `Flag` seen before (same `url`) is not filed twice.
    func create(_ abuse: NewAbuse) async throws -> Abuse
    /// Newest first.
    func list(pagination: Pagination) async throws -> Page<Abuse>
}
