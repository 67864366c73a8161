/// The activity types Herd handles (ActivityStreams vocabulary §3.1, and PeerTube's set in
/// `server/core/lib/activitypub/process/process.ts`). Anything else is accepted and ignored.
public enum ActivityType: Sendable, Hashable {
    case follow, accept, reject, undo
    case create, update, delete
    case announce, like, dislike, view, flag
    case other(String)

    public init(_ name: String) {
        switch name {
        case "Follow": self = .follow
        case "Accept": self = .accept
        case "Reject": self = .reject
        case "Undo": self = .undo
        case "Create": self = .create
        case "Update": self = .update
        case "Delete": self = .delete
        case "Announce": self = .announce
        case "Like": self = .like
        case "Dislike": self = .dislike
        case "View": self = .view
        case "Flag": self = .flag
        default: self = .other(name)
        }
    }

    public var name: String {
        switch self {
        case .follow: "Follow"
        case .accept: "Accept"
        case .reject: "Reject"
        case .undo: "Undo"
        case .create: "Create"
        case .update: "Update"
        case .delete: "Delete"
        case .announce: "Announce"
        case .like: "Like"
        case .dislike: "Dislike"
        case .view: "View"
        case .flag: "Flag"
        case .other(let name): name
        }
    }
}
