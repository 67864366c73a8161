import HerdCore
import HerdFederation

extension Inbox {
    /// `Follow` of a local actor: recorded, and accepted at once when `federation.auto_accept_followers` is on
    /// (an `Accept` goes back to the follower's inbox, signed by the followed actor).
    func follow(_ activity: IncomingActivity, from follower: RemoteActorRecord) async throws {
        guard let target = activity.object.id, let found = try await actors.local(url: target) else {
            throw HerdError.notFound("the followed actor is not on this instance")
        }
        let (local, url) = found
        let accept = settings.autoAcceptFollowers
        // The follow and its `Accept` commit together.
        try await stores.transaction {
            let record = try await self.stores.federation.saveFollow(
                follower: follower.url, following: url, activityID: activity.id, state: accept ? .accepted : .pending)
            guard accept else { return }
            let answer = Activities.answer(
                .accept, id: "\(self.actors.urls.baseURL)/accepts/follows/\(record.id)", actor: url,
                follow: activity.raw)
            try await self.outbox.send(answer, to: [follower.inbox], from: local)
        }
    }
}
