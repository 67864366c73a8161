import HerdCore
import HerdFederation

extension Inbox {
    /// `Create` of a `Video` (embedded, as PeerTube sends it): the video is stored to list, search and play from
    /// its origin, which must be the signer's host. `Create` of a `Note` replying to a known video or comment (from
    /// PeerTube or Mastodon) is threaded under it; when the video is local, the activity goes on to its followers.
    func create(_ activity: IncomingActivity, from signer: RemoteActorRecord) async throws {
        switch activity.object.type {
        case "Video": try await videos.save(activity.object, origin: signer.host)
        case "CacheFile": try await mirrors.announced(activity, by: signer)
        case "Note":
            guard let saved = try await comments.save(activity.object, author: signer) else { return }
            if !saved.comment.heldForReview {
                try await forwarding.forward(
                    activity.raw, video: saved.video, from: signer.host)
            }
        default: break
        }
    }
}
