import HerdCore
import HerdFederation

/// ActivityPub URLs of videos and comments, local or remote.
public struct ActivityPubURLs: Sendable {
    public let baseURL: String

    public init(baseURL: String) { self.baseURL = baseURL }

    public func video(_ video: Video) -> String {
        video.remote?.url ?? "\(baseURL)/videos/watch/\(video.uuid.lowercasedString)"
    }

    /// A remote comment's own URL; a local one's is on this instance, also when the video is remote.
    public func comment(_ comment: Comment, video: Video) -> String {
        comment.url ?? "\(baseURL)/videos/watch/\(video.uuid.lowercasedString)/comments/\(comment.id)"
    }

    /// An account's actor URL: its own for remote accounts, `/accounts/{name}` for local ones.
    public func account(_ account: Account) -> String {
        account.url ?? ActorURLs(baseURL: baseURL).account(account.name)
    }
}
