import HerdCore
import HerdFederation

extension Inbox {
    static let maxViewsPerActivity = 100_000

    /// `View` of a local video: counted (with Herd's batched count in `result.userInteractionCount`, else one).
    /// PeerTube's viewer-count form (with `expires`) reports people watching now, not views, and is not counted.
    func view(_ activity: IncomingActivity) async throws {
        guard activity.raw["expires"] == nil || activity.raw["expires"] == .null,
            let url = activity.object.id, case .video(let video) = try await comments.target(url),
            video.video.isLocal
        else { return }
        var count = 1
        if let claimed = activity.raw["result"]?["userInteractionCount"] {
            // A whole number ≥ 0, and no more than a busy hour of one instance's viewers; anything else is ignored.
            guard let valid = claimed.integer(in: 0...Self.maxViewsPerActivity) else { return }
            count = valid
        }
        await interactions.remoteViews(videoId: video.video.id, count: count)
    }
}
