import HerdCore
import HerdFederation

extension Inbox {
    /// `Delete` of a video (by URL or as a `Tombstone`): removed when the signer's host is the video's origin.
    func delete(_ activity: IncomingActivity, from signer: RemoteActorRecord) async throws {
        guard let url = activity.object.id else { return }
        _ = try await videos.delete(url: url, host: signer.host)
    }
}
