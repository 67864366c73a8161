import HerdCore
import HerdFederation

extension Inbox {
    /// `Accept` of one of our follows, by the followed actor.
    func accept(_ activity: IncomingActivity) async throws {
        guard let follow = try await ourFollow(answeredBy: activity) else { return }
        try await stores.federation.setFollowState(id: follow.id, .accepted)
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
