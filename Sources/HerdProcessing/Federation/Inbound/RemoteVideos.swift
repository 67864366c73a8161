import Foundation
import HerdCore
import HerdFederation

/// Stores videos other instances publish: their owners (account and channel rows for the remote actors) and the
/// video itself, keyed by its ActivityPub id, with the origin's media URLs to play from.
public final class RemoteVideos: Sendable {
    let stores: Stores
    let resolver: RemoteActorResolver
    let fetcher: RemoteDocuments
    let instanceActor: String
    let events: ContentEvents
    let removal: VideoRemoval

    public init(
        stores: Stores, resolver: RemoteActorResolver, fetcher: RemoteDocuments, instanceActor: String,
        events: ContentEvents, removal: VideoRemoval
    ) {
        self.stores = stores
        self.resolver = resolver
        self.fetcher = fetcher
        self.instanceActor = instanceActor
        self.events = events
        self.removal = removal
    }

    /// Whether this instance takes videos from `host`: its instance actor follows an actor there (a school network
    /// only sees the instances it chose to follow).
    func accepts(host: String) async throws -> Bool {
        try await stores.federation.follows(host: host, follower: instanceActor)
    }

    /// Creates or updates the video `object` describes. `origin` is the host it comes from (the signer of the
    /// activity that carried it, or the server it was fetched from); `vouchedBy`, the host whose activity brought
    /// it (the same, or an instance that announced it), must be one this instance follows.
    @discardableResult
    func save(_ json: JSONValue, origin: String, vouchedBy: String? = nil, requireFollow: Bool = true) async throws
        -> VideoWithOwner?
    {
        let object: VideoObject
        do {
            object = try VideoObject(json, origin: origin)
        } catch {
            throw HerdError.badRequest("unusable Video object: \(error)")
        }
        if requireFollow, try await !accepts(host: vouchedBy ?? origin) { return nil }
        let channelActor = try await resolver.actor(object.channelURL)
        let accountActor = try await resolver.actor(object.accountURL)
        let account = try await stores.federation.saveRemoteAccount(for: accountActor)
        let channel = try await stores.federation.saveRemoteChannel(
            url: channelActor.url, accountId: account.id, name: channelActor.preferredUsername,
            displayName: channelActor.name ?? channelActor.preferredUsername, description: nil, support: nil,
            host: channelActor.host)
        // Published even if a later step throws: the row is written by then.
        var saved: Int64?
        defer { if let saved { events.publish(.video(id: saved)) } }
        if var video = try await stores.videos.find(url: object.url)?.video {
            guard video.uuid == object.uuid else { throw HerdError.badRequest("the video's uuid changed") }
            apply(object, to: &video)
            video.channelId = channel.id
            try await stores.videos.update(video)
            saved = video.id
        } else {
            saved = try await stores.videos.create(
                NewVideo(
                    uuid: object.uuid, channelId: channel.id, name: object.name, description: object.content,
                    support: object.support, privacy: object.privacy, state: .published, category: object.category,
                    licence: object.licence, language: object.language, nsfw: object.sensitive,
                    commentsPolicy: object.commentsPolicy, downloadEnabled: object.downloadEnabled,
                    waitTranscoding: false, tags: object.tags, originallyPublishedAt: object.originallyPublishedAt,
                    duration: object.duration, views: object.views, createdAt: object.published,
                    publishedAt: object.published, remote: object.source)
            ).id
        }
        try await syncRatings(json, url: object.url, origin: origin)
        return try await stores.videos.find(url: object.url)
    }

    /// The origin's like and dislike counts, read from the `likes` and `dislikes` collections the object names.
    func syncRatings(_ json: JSONValue, url: String, origin: String) async throws {
        guard fetcher.enabled else { return }
        func count(_ field: String) async -> Int? {
            guard let collection = json[field]?.string, URLParts(collection)?.authority == origin.lowercased(),
                let document = try? await fetcher.signedFetch(collection),
                let total = document["totalItems"]?.count()
            else { return nil }
            return total
        }
        let (likes, dislikes) = (await count("likes"), await count("dislikes"))
        guard likes != nil || dislikes != nil, var video = try await stores.videos.find(url: url)?.video else { return }
        video.likes = likes ?? video.likes
        video.dislikes = dislikes ?? video.dislikes
        try await stores.videos.update(video)
    }

    func apply(_ object: VideoObject, to video: inout Video) {
        video.name = object.name
        video.description = object.content
        video.support = object.support
        video.privacy = object.privacy
        video.category = object.category
        video.licence = object.licence
        video.language = object.language
        video.nsfw = object.sensitive
        video.commentsPolicy = object.commentsPolicy
        video.downloadEnabled = object.downloadEnabled
        video.tags = object.tags
        video.duration = object.duration
        video.views = max(video.views, object.views)
        video.publishedAt = object.published
        video.originallyPublishedAt = object.originallyPublishedAt
        video.remote = object.source
    }

    /// Fetches a video by URL (signed by the instance actor) and saves it; the document must come from its own host.
    /// `vouchedBy` nil: a user asked for it by URL (PeerTube's remote URI search), so no follow is needed.
    public func fetchAndSave(_ url: String, vouchedBy: String?) async throws -> VideoWithOwner? {
        guard fetcher.enabled, let host = URLParts(url)?.authority else { return nil }
        if let known = try await stores.videos.find(url: url) { return known }
        if let vouchedBy, try await !accepts(host: vouchedBy) { return nil }
        let document: JSONValue
        do {
            document = try await fetcher.signedFetch(url)
        } catch {
            throw HerdError(.badRequest, "cannot fetch the video \(url)", cause: "\(error)")
        }
        guard document["id"]?.string == url else { throw HerdError.badRequest("\(url) served another object") }
        return try await save(document, origin: host, vouchedBy: vouchedBy, requireFollow: vouchedBy != nil)
    }

    /// Deletes the remote video at `url` when `host` (the deleting actor's) is its origin.
    func delete(url: String, host: String) async throws -> Bool {
        guard let item = try await stores.videos.find(url: url), URLParts(url)?.authority == host.lowercased(),
            !item.video.isLocal
        else { return false }
        // Its cached thumbnail and preview go with it.
        try await removal.remove(item.video)
        return true
    }
}
