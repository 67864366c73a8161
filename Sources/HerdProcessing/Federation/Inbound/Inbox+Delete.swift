import HerdCore
import HerdFederation

extension Inbox {
    /// `Delete` of a video (by URL or as a `Tombstone`): removed when the signer's host is the video's origin.
    /// `Delete` of a comment by its author: its text goes (its replies stay threaded), and when the video is local
    /// the deletion goes on to the video's followers.
    func delete(_ activity: IncomingActivity, from signer: RemoteActorRecord) async throws {
        guard let url = activity.object.id else { return }
        if try await videos.delete(url: url, host: signer.host) { return }
        if let video = try await comments.delete(url, author: signer.url) {
            try await forwarding.forward(activity.raw, video: video, from: signer.host)
        }
    }
}
