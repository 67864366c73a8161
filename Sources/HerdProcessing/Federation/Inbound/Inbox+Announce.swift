import HerdCore
import HerdFederation

extension Inbox {
    /// `Announce` (a share, as PeerTube's instance actor shares every video): the object is fetched from its own
    /// host and stored when it is a video, if this instance follows the announcer's host.
    func announce(_ activity: IncomingActivity, from signer: RemoteActorRecord) async throws {
        guard let url = activity.object.id, IncomingActivity.isHTTP(url) else { return }
        if activity.object.type == "Video", URLParts(url)?.authority == signer.host {
            try await videos.save(activity.object, origin: signer.host)
            return
        }
        do {
            _ = try await videos.fetchAndSave(url, vouchedBy: signer.host)
        } catch let error as HerdError where error.kind == .badRequest {
            return  // Not a video, or not reachable: shares of other things are ignored.
        }
    }
}
