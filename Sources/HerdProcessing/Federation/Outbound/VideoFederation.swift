import Foundation
import HerdCore
import HerdFederation

/// Tells remote followers about local videos: `Create` when one is published, `Update` when it changes, `Delete`
/// when it is deleted or stops being public. The audience is the accepted followers of the instance actor, the
/// video's account and its channel, one delivery per shared inbox, sent through the durable `Outbox` signed by the
/// account (PeerTube's `sendCreateVideo`, `sendUpdateVideo`, `sendDeleteVideo`).
public final class VideoFederation: Sendable {
    let stores: Stores
    let actors: LocalActors
    let outbox: Outbox
    let clock: any WallClock
    let enabled: Bool

    public init(stores: Stores, actors: LocalActors, outbox: Outbox, clock: any WallClock, enabled: Bool) {
        self.stores = stores
        self.actors = actors
        self.outbox = outbox
        self.clock = clock
        self.enabled = enabled
    }

    var urls: ActivityPubURLs { ActivityPubURLs(baseURL: actors.urls.baseURL) }

    /// Whether other instances should know the video: a local, published, public or unlisted video.
    public static func federates(_ video: Video) -> Bool {
        video.isLocal && video.state == .published && (video.privacy == .public || video.privacy == .unlisted)
    }

    /// After publication: `Create`.
    public func published(videoId: Int64) async throws {
        guard enabled, let item = try await stores.videos.find(.id(videoId)), Self.federates(item.video)
        else { return }
        let object = try await object(item)
        let url = object["id"]?.string ?? ""
        let activity = Activities.wrap(.create, id: url + "/activity", actor: accountURL(item), object: object)
        try await send(activity, about: item)
    }

    /// After an edit: `Update` when it still federates, `Delete` when it did before and no longer does.
    public func updated(_ item: VideoWithOwner, before: Video) async throws {
        guard enabled else { return }
        if Self.federates(item.video) {
            let object = try await object(item)
            let id = (object["id"]?.string ?? "") + "/updates/" + isoDate(clock.now())
            try await send(Activities.wrap(.update, id: id, actor: accountURL(item), object: object), about: item)
        } else if Self.federates(before) {
            try await deleted(VideoWithOwner(video: before, channel: item.channel, account: item.account))
        }
    }

    /// Before the rows go: `Delete` of the video's URL.
    public func deleted(_ item: VideoWithOwner) async throws {
        guard enabled, Self.federates(item.video) else { return }
        let activity = Activities.delete(
            object: urls.video(item.video), actor: accountURL(item),
            cc: [actors.urls.channel(item.channel.name) + "/followers"])
        try await send(activity, about: item)
    }

    /// New views of a remote video: one `View` with their count to its origin, from the instance actor.
    public func viewed(_ item: VideoWithOwner, count: Int) async throws {
        guard enabled, !item.video.isLocal, count > 0 else { return }
        let inboxes = try await audience(item)
        guard !inboxes.isEmpty else { return }
        let instance = try await actors.instanceAccount()
        let activity = Activities.views(
            id: "\(actors.urls.instanceActor)/views/videos/\(item.video.id)/\(UUID().lowercasedString)",
            actor: actors.urls.instanceActor, object: urls.video(item.video), count: count)
        try await outbox.send(activity, to: inboxes, from: .account(instance.id))
    }

    func accountURL(_ item: VideoWithOwner) -> String { actors.urls.account(item.account.name) }

    func object(_ item: VideoWithOwner) async throws -> JSONValue {
        let files = try await stores.videoFiles.list(videoId: item.video.id)
        return VideoActivityPub.object(item, files: files, baseURL: actors.urls.baseURL)
    }

    /// Who hears about activity on `video`: the followers of its instance, account and channel when it is local,
    /// its origin when it is remote (comments, ratings, views and reports about it go there).
    public func audience(_ video: VideoWithOwner) async throws -> [String] {
        if video.video.isLocal {
            return try await stores.federation.followerInboxes(of: [
                actors.urls.instanceActor, actors.urls.account(video.account.name),
                actors.urls.channel(video.channel.name),
            ])
        }
        for url in [video.channel.url, video.account.url].compactMap({ $0 }) {
            if let actor = try await stores.federation.remoteActor(url: url) { return [actor.deliveryInbox] }
        }
        return []
    }

    func send(_ activity: JSONValue, about item: VideoWithOwner) async throws {
        let inboxes = try await audience(item)
        guard !inboxes.isEmpty else { return }
        try await outbox.send(activity, to: inboxes, from: .account(item.account.id))
    }
}
