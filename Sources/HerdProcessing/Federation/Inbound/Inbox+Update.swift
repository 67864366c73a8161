import HerdCore
import HerdFederation

extension Inbox {
    /// `Update` of a `Video` (stored again, or for the first time), of a `Note` by its author (an edited comment,
    /// as Mastodon sends them), or of the signer itself (its cached document and key are fetched again).
    func update(_ activity: IncomingActivity, from signer: RemoteActorRecord) async throws {
        switch activity.object.type {
        case "Video": try await videos.save(activity.object, origin: signer.host)
        case "CacheFile": try await mirrors.announced(activity, by: signer)
        case "Note":
            guard let url = activity.object.id, let found = try await stores.comments.find(url: url),
                found.account?.url == signer.url, !found.comment.isDeleted
            else { return }
            let text = CommentText.plain(fromHTML: activity.object["content"]?.string ?? "")
            guard !text.isEmpty else { return }
            try await stores.comments.updateText(id: found.comment.id, text: text, at: clock.now())
        case "Person", "Group", "Application", "Service", "Organization":
            guard activity.object.id == signer.url else { return }
            _ = try await resolver.actor(signer.url, refresh: true)
        default: break
        }
    }
}
