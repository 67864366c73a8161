import HerdCore
import HerdFederation

extension Inbox {
    /// `Reject` of one of our follows: the follow is dropped.
    func reject(_ activity: IncomingActivity) async throws {
        guard let follow = try await ourFollow(answeredBy: activity) else { return }
        try await stores.federation.deleteFollow(id: follow.id)
    }
}
