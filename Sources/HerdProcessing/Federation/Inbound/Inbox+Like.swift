import HerdCore
import HerdFederation

extension Inbox {
    /// `Like` or `Dislike` of a local video by a remote actor: recorded as that account's rating (the counts
    /// follow), and the video's followers get the new counts with its next `Update`.
    func rate(_ activity: IncomingActivity, _ rating: VideoRating, from signer: RemoteActorRecord) async throws {
        guard let url = activity.object.id, case .video(let video) = try await comments.target(url),
            video.video.isLocal, VideoFederation.federates(video.video)
        else { return }
        let account = try await stores.federation.saveRemoteAccount(for: signer)
        try await stores.interactions.rate(videoId: video.video.id, accountId: account.id, rating, url: activity.id)
        events.publish(.video(id: video.video.id))
        await interactions.touch(videoId: video.video.id)
    }
}
