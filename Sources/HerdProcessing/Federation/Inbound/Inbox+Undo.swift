import HerdCore
import HerdFederation

extension Inbox {
    /// `Undo` of the actor's own `Follow` (by id, or embedded): it no longer follows. Undoing likes and other
    /// activities comes with them.
    func undo(_ activity: IncomingActivity, from signer: RemoteActorRecord) async throws {
        let type = activity.object.type
        if let cache = Self.undoneCacheFile(activity.object), let id = cache.id {
            try await mirrors.undone(id, activity: activity.raw, by: signer)
            return
        }
        if type == "Like" || type == "Dislike" || type == nil, let id = activity.object.id,
            let found = try await stores.interactions.rating(url: id)
        {
            // The rating recorded under that activity id, by the same actor.
            guard let account = try await stores.accounts.find(id: found.accountId), account.url == activity.actor
            else { return }
            try await stores.interactions.rate(videoId: found.videoId, accountId: found.accountId, .none, url: nil)
            events.publish(.video(id: found.videoId))
            await interactions.touch(videoId: found.videoId)
            return
        }
        guard activity.object.type == nil || activity.object.type == "Follow" else { return }
        var follow: FollowRecord?
        if let id = activity.object.id { follow = try await stores.federation.follow(activityID: id) }
        if follow == nil, let target = activity.object["object"]?.id {
            follow = try await stores.federation.follow(follower: activity.actor, following: target)
        }
        guard let follow, follow.follower == activity.actor else { return }
        try await stores.federation.deleteFollow(id: follow.id)
    }

    /// The CacheFile an `Undo` takes back: embedded directly, or (PeerTube) inside the `Create` that announced it.
    static func undoneCacheFile(_ object: JSONValue) -> JSONValue? {
        if object.type == "CacheFile" { return object }
        if object.type == "Create", let inner = object["object"], inner.type == "CacheFile" { return inner }
        return nil
    }
}
