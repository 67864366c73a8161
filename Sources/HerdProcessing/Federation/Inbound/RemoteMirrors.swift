import Foundation
import HerdCore
import HerdFederation
import Logging

/// Other instances' copies of videos (issue 6), announced with `Create CacheFile` and renewed with `Update`:
/// - for a local video, taken per `remote_redundancy.videos.accept_from`, then forwarded to the video's followers
///   (signed by the instance actor, as comments are);
/// - for a remote video, taken when its origin forwards them, after fetching the CacheFile from the mirror.
/// Listed in the video's `streamingPlaylists[].redundancies` (and web seeds) until they expire or are undone.
public final class RemoteMirrors: Sendable {
    let stores: Stores
    let acceptFrom: MirrorAcceptance
    let instanceActor: String
    let comments: RemoteComments
    let forwarding: CommentFederation
    let fetcher: RemoteDocuments
    let advertiser: MirrorAdvertiser
    let clock: any WallClock
    let logger: Logger

    public init(
        stores: Stores, acceptFrom: MirrorAcceptance, instanceActor: String, comments: RemoteComments,
        forwarding: CommentFederation, fetcher: RemoteDocuments, advertiser: MirrorAdvertiser, clock: any WallClock,
        logger: Logger
    ) {
        self.stores = stores
        self.acceptFrom = acceptFrom
        self.instanceActor = instanceActor
        self.comments = comments
        self.forwarding = forwarding
        self.fetcher = fetcher
        self.advertiser = advertiser
        self.clock = clock
        self.logger = logger
    }

    /// Whether `host` may mirror this instance's videos.
    func accepts(_ host: String) async throws -> Bool {
        switch acceptFrom {
        case .anybody: return true
        case .nobody: return false
        case .followings: return try await stores.federation.follows(host: host, follower: instanceActor)
        }
    }

    /// `Create` or `Update` of a CacheFile by an actor of the mirror.
    func announced(_ activity: IncomingActivity, by signer: RemoteActorRecord) async throws {
        let cache: CacheFileObject
        do {
            cache = try CacheFileObject(activity.object, mirror: signer.host)
        } catch {
            throw HerdError.badRequest("unusable CacheFile: \(error)")
        }
        guard try await accepts(signer.host) else {
            logger.info(
                "a mirror's copy is not taken (remote_redundancy.videos.accept_from)",
                metadata: ["mirror": "\(signer.host)", "cacheFile": "\(cache.id)"])
            return
        }
        guard case .video(let video) = try await comments.target(cache.object), video.video.isLocal,
            VideoFederation.federates(video.video)
        else { return }
        guard try await save(cache, video: video.video, host: signer.host) else { return }
        // The video's followers learn of the copy too (they check it at the mirror).
        try await forwarding.forward(activity.raw, video: video, from: signer.host)
    }

    /// Records (or, once expired, drops) a mirror; false when it was not taken.
    func save(_ cache: CacheFileObject, video: Video, host: String) async throws -> Bool {
        if let expires = cache.expires, expires <= clock.now() {
            // Already expired: the copy is not (or no longer) advertised.
            if let known = try await stores.mirrors.find(url: cache.id), known.host == host {
                try await stores.mirrors.delete(url: cache.id)
                try await changed(video)
            }
            return false
        }
        if let known = try await stores.mirrors.find(url: cache.id), known.videoId != video.id { return false }
        try await stores.mirrors.save(
            videoId: video.id, url: cache.id, baseURL: cache.href, host: host, expiresAt: cache.expires)
        try await changed(video)
        return true
    }

    /// A CacheFile forwarded by `forwarder`: taken for a remote video whose origin is the forwarder, after fetching
    /// it from the mirror (the forwarder cannot speak for the mirror).
    func fetchAndSave(_ url: String, forwardedBy forwarder: RemoteActorRecord) async throws {
        guard fetcher.enabled, let mirror = URLParts(url)?.authority else { return }
        let document: JSONValue
        do {
            document = try await fetcher.signedFetch(url)
        } catch is FetchedObjectGone {
            return  // The mirror has no such copy: nothing to believe.
        }
        guard document["id"]?.string == url, let cache = try? CacheFileObject(document, mirror: mirror) else { return }
        guard let item = try await stores.videos.find(url: cache.object), !item.video.isLocal,
            URLParts(cache.object)?.authority == forwarder.host
        else { return }
        _ = try await save(cache, video: item.video, host: mirror)
    }

    /// An `Undo` forwarded by the origin: believed when the mirror no longer has the CacheFile.
    func deleteIfGone(_ url: String, forwardedBy forwarder: RemoteActorRecord) async throws {
        guard fetcher.enabled, let known = try await stores.mirrors.find(url: url),
            let item = try await stores.videos.find(.id(known.videoId)), !item.video.isLocal,
            URLParts(item.video.remote?.url ?? "")?.authority == forwarder.host
        else { return }
        do {
            _ = try await fetcher.signedFetch(url)
            return
        } catch is FetchedObjectGone {
            try await stores.mirrors.delete(url: url)
            try await changed(item.video)
        }
    }

    /// The video's torrents (web seeds) and lists follow its current, answering mirrors.
    func changed(_ video: Video) async throws { try await advertiser.advertise(video) }

    /// `Undo` of a CacheFile: the mirror dropped its copy.
    func undone(_ url: String, activity: JSONValue, by signer: RemoteActorRecord) async throws {
        guard let mirror = try await stores.mirrors.find(url: url), mirror.host == signer.host else { return }
        try await stores.mirrors.delete(url: url)
        guard let item = try await stores.videos.find(.id(mirror.videoId)) else { return }
        try await changed(item.video)
        if item.video.isLocal {
            try await forwarding.forward(activity, video: item, from: signer.host)
        }
    }
}
