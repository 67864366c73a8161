import Foundation
import HerdCore
import HerdFederation

/// A local account's rating of a remote video goes to the video's origin: `Like` or `Dislike`, and `Undo` of the
/// previous one when it changes (PeerTube's `sendLike`, `sendDislike`, `sendUndoLike`). Ratings of local videos
/// reach followers as counts in the video's next `Update` (`InteractionFlusher`).
public final class RatingFederation: Sendable {
    let videos: VideoFederation
    let outbox: Outbox

    public init(videos: VideoFederation, outbox: Outbox) {
        self.videos = videos
        self.outbox = outbox
    }

    public func rated(_ video: VideoWithOwner, by account: Account, rating: VideoRating, previous: VideoRating)
        async throws
    {
        guard videos.enabled, !video.video.isLocal, account.isLocal else { return }
        let urls = videos.urls
        let actor = urls.account(account)
        let object = urls.video(video.video)
        func activity(_ rating: VideoRating) -> JSONValue? {
            switch rating {
            case .like: Activities.rate(.like, id: "\(actor)/likes/\(video.video.id)", actor: actor, object: object)
            case .dislike:
                Activities.rate(.dislike, id: "\(actor)/dislikes/\(video.video.id)", actor: actor, object: object)
            case .none: nil
            }
        }
        let inboxes = try await videos.audience(video)
        guard !inboxes.isEmpty else { return }
        if let undone = activity(previous) {
            let undo = Activities.undo(id: (undone["id"]?.string ?? "") + "/undo", actor: actor, object: undone)
            try await outbox.send(undo, to: inboxes, from: .account(account.id))
        }
        if let sent = activity(rating) { try await outbox.send(sent, to: inboxes, from: .account(account.id)) }
    }
}
