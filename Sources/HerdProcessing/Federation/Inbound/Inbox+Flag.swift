import HerdCore
import HerdFederation

extension Inbox {
    /// A report names one video, comment or account (PeerTube sends it with a few context URLs): the rest is ignored.
    static let maxFlaggedObjects = 16

    /// `Flag`: a report by another instance about a local video, comment or account, filed for this instance's
    /// moderators (`GET /api/v1/abuses`) under the reporting actor's account. Reports about anything else are ignored.
    func flag(_ activity: IncomingActivity, from signer: RemoteActorRecord) async throws {
        let reason = CommentText.plain(fromHTML: activity.raw["content"]?.string ?? "")
        var new = NewAbuse(reporterAccountId: 0, reason: String(reason.prefix(Abuse.maxReasonLength)))
        new.url = activity.id
        for object in activity.object.list.prefix(Self.maxFlaggedObjects) {
            guard let url = object.id else { continue }
            if let target = try await comments.target(url) {
                switch target {
                case .video(let video) where video.video.isLocal: new.videoId = video.video.id
                case .comment(let comment, _) where comment.url == nil: new.commentId = comment.id
                default: continue
                }
                break
            }
            if let local = try await actors.local(url: url), case .account(let id) = local.actor {
                new.flaggedAccountId = id
                break
            }
        }
        guard new.videoId != nil || new.commentId != nil || new.flaggedAccountId != nil else { return }
        let reporter = try await stores.federation.saveRemoteAccount(for: signer)
        new.reporterAccountId = reporter.id
        _ = try await stores.abuses.create(new)
    }
}
