import HerdCore
import HerdFederation

extension Inbox {
    /// `Create` of a `Video` (embedded, as PeerTube sends it): the video is stored to list, search and play from
    /// its origin, which must be the signer's host. Other objects (comments) come with their steps.
    func create(_ activity: IncomingActivity, from signer: RemoteActorRecord) async throws {
        switch activity.object.type {
        case "Video": try await videos.save(activity.object, origin: signer.host)
        default: break
        }
    }
}
