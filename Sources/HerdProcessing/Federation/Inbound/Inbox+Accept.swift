import Foundation
import HerdCore
import HerdFederation

extension Inbox {
    /// `Accept` of one of our follows, by the followed actor. When the instance follows another instance, that
    /// instance's outbox is read next (`OutboxBackfill`), so the videos it published before show here too.
    func accept(_ activity: IncomingActivity) async throws {
        guard let follow = try await ourFollow(answeredBy: activity) else { return }
        let wasPending = follow.state == .pending
        try await stores.federation.setFollowState(id: follow.id, .accepted)
        guard wasPending, follow.follower == actors.urls.instanceActor else { return }
        try await stores.jobs.enqueue(
            BackfillOutboxPayload(outbox: follow.following + "/outbox"), runAfter: clock.now(), maxAttempts: 5)
    }

    /// The local follow an `Accept` or `Reject` answers: its object is our Follow (embedded, or its id), sent to
    /// the actor now answering.
    func ourFollow(answeredBy activity: IncomingActivity) async throws -> FollowRecord? {
        guard let followID = activity.object.id, let follow = try await stores.federation.follow(activityID: followID),
            follow.following == activity.actor
        else { return nil }
        return follow
    }
}
