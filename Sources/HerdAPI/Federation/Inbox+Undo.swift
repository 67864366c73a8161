import HerdCore
import HerdFederation

extension Inbox {
    /// `Undo` of the actor's own `Follow` (by id, or embedded): it no longer follows. Undoing likes and other
    /// activities comes with them.
    func undo(_ activity: IncomingActivity) async throws {
        guard activity.object.type == nil || activity.object.type == "Follow" else { return }
        var follow: FollowRecord?
        if let id = activity.object.id { follow = try await stores.federation.follow(activityID: id) }
        if follow == nil, let target = activity.object["object"]?.id {
            follow = try await stores.federation.follow(follower: activity.actor, following: target)
        }
        guard let follow, follow.follower == activity.actor else { return }
        try await stores.federation.deleteFollow(id: follow.id)
    }
}
