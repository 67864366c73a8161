import Foundation
import HerdCore

/// Ratings and views of videos by local viewers. A rating counts at once; a local video's followers get the new
/// counts with its next `Update`, a remote video's origin gets `Like`/`Dislike` (`RatingFederation`). Views are
/// one per viewer per hour, counted in batches (`InteractionTracker`, flushed by `InteractionFlusher`).
public final class VideoInteractions: Sendable {
    let stores: Stores
    let tracker: InteractionTracker
    let federation: RatingFederation
    let events: ContentEvents
    let clock: any WallClock

    public init(
        stores: Stores, tracker: InteractionTracker, federation: RatingFederation, events: ContentEvents,
        clock: any WallClock
    ) {
        self.stores = stores
        self.tracker = tracker
        self.federation = federation
        self.events = events
        self.clock = clock
    }

    public func rate(_ video: VideoWithOwner, _ rating: VideoRating, by user: User) async throws {
        let account = try await stores.accounts.account(of: user)
        let previous = try await stores.interactions.rate(
            videoId: video.video.id, accountId: account.id, rating, url: nil)
        events.publish(.video(id: video.video.id))
        guard previous != rating else { return }
        if video.video.isLocal {
            await tracker.touch(videoId: video.video.id)
        } else {
            try await federation.rated(video, by: account, rating: rating, previous: previous)
        }
    }

    public func rating(of video: VideoWithOwner, by user: User) async throws -> VideoRating {
        try await stores.interactions.rating(
            videoId: video.video.id, accountId: try await stores.accounts.account(of: user).id)
    }

    /// A player's heartbeat from `viewer` (its session, account or address).
    public func viewed(_ video: VideoWithOwner, by viewer: String) async {
        _ = await tracker.view(videoId: video.video.id, viewer: viewer, now: clock.now())
    }
}
