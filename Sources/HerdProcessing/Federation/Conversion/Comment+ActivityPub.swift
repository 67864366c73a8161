import Foundation
import HerdCore
import HerdFederation

/// A local comment as PeerTube's `Note` (`video-comment.ts` `toActivityPubObject`): `inReplyTo` is the parent
/// comment, or the video for a thread's root; a deleted comment is a `Tombstone`.
public enum CommentActivityPub {
    public static func note(
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
