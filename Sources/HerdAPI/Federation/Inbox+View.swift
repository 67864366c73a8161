import HerdCore
import HerdFederation

extension Inbox {
    /// `View` of a local video: counted (with Herd's batched count in `result.userInteractionCount`, else one).
    /// PeerTube's viewer-count form (with `expires`) reports people watching now, not views, and is not counted.
    func view(_ activity: IncomingActivity) async throws {
        guard activity.raw["expires"] == nil || activity.raw["expires"] == .null,
            let url = activity.object.id, case .video(let video) = try await comments.target(url),
            video.video.isLocal
        else { return }
        let count = activity.raw["result"]?["userInteractionCount"]?.number.map { Int($0) } ?? 1
        await services.interactions.remoteViews(videoId: video.video.id, count: count)
    }
}
