import HerdCore
import HerdFederation

extension Inbox {
    /// `Update` of a `Video` (stored again, or for the first time) or of the signer itself (its cached document
    /// and key are fetched again).
    func update(_ activity: IncomingActivity, from signer: RemoteActorRecord) async throws {
        switch activity.object.type {
        case "Video": try await videos.save(activity.object, origin: signer.host)
        case "Person", "Group", "Application", "Service", "Organization":
            guard activity.object.id == signer.url else { return }
            _ = try await resolver.actor(signer.url, refresh: true)
        default: break
        }
    }
}
