import Foundation
import HerdCore
import HerdFederation

/// ActivityPub URLs of videos and comments, local or remote.
struct ActivityPubURLs {
    let baseURL: String

    func video(_ video: Video) -> String {
        video.remote?.url ?? "\(baseURL)/videos/watch/\(video.uuid.lowercasedString)"
    }

    /// A remote comment's own URL; a local one's is on this instance, also when the video is remote.
    func comment(_ comment: Comment, video: Video) -> String {
        comment.url ?? "\(baseURL)/videos/watch/\(video.uuid.lowercasedString)/comments/\(comment.id)"
    }

    /// An account's actor URL: its own for remote accounts, `/accounts/{name}` for local ones.
    func account(_ account: Account) -> String {
        account.url ?? ActorURLs(baseURL: baseURL).account(account.name)
    }
}

/// A local comment as PeerTube's `Note` (`video-comment.ts` `toActivityPubObject`): `inReplyTo` is the parent
/// comment, or the video for a thread's root; a deleted comment is a `Tombstone`.
enum CommentActivityPub {
    static func note(
        _ comment: Comment, author: Account, video: Video, parent: Comment?, urls: ActivityPubURLs
    ) -> JSONValue {
        let id = urls.comment(comment, video: video)
        let inReplyTo = parent.map { urls.comment($0, video: video) } ?? urls.video(video)
        if comment.isDeleted {
            return [
                "@context": ActivityContext.base, "type": "Tombstone", "id": .string(id), "formerType": "Note",
                "inReplyTo": .string(inReplyTo), "published": .string(isoDate(comment.createdAt)),
                "updated": .string(isoDate(comment.updatedAt)),
                "deleted": .string(isoDate(comment.deletedAt ?? comment.updatedAt)),
            ]
        }
        let authorURL = urls.account(author)
        return [
            "@context": ActivityContext.base, "type": "Note", "id": .string(id), "content": .string(comment.text),
            "mediaType": "text/markdown", "inReplyTo": .string(inReplyTo),
            "published": .string(isoDate(comment.createdAt)), "updated": .string(isoDate(comment.updatedAt)),
            "url": .string(id), "attributedTo": .string(authorURL),
            "to": [.string(ActivityContext.publicAudience)], "cc": [.string(authorURL + "/followers")],
            "tag": [],
        ]
    }
}
