import Foundation
import HerdCore
import HerdFederation

/// Other instances' copies of local videos (issue 6), announced with `Create CacheFile` and renewed with `Update`:
/// taken per `remote_redundancy.videos.accept_from`, listed in the video's `streamingPlaylists[].redundancies`
/// until they expire or are undone.
struct RemoteMirrors: Sendable {
    let services: APIServices
    let comments: RemoteComments

    var stores: Stores { services.stores }

    /// Whether `host` may mirror this instance's videos.
    func accepts(_ host: String) async throws -> Bool {
        switch services.settings.federation.acceptMirrorsFrom {
        case .anybody: return true
        case .nobody: return false
        case .followings:
            return try await stores.federation.follows(host: host, follower: services.localActors.urls.instanceActor)
        }
    }

    /// `Create` or `Update` of a CacheFile by an actor of the mirror.
    func announced(_ json: JSONValue, by signer: RemoteActorRecord) async throws {
        let cache: CacheFileObject
        do {
            cache = try CacheFileObject(json, mirror: signer.host)
        } catch {
            throw HerdError.badRequest("unusable CacheFile: \(error)")
        }
        guard try await accepts(signer.host), case .video(let video) = try await comments.target(cache.object),
            video.video.isLocal, VideoFederation.federates(video.video)
        else { return }
        if let expires = cache.expires, expires <= services.clock.now() {
            // Already expired: the copy is not (or no longer) advertised.
            try await undone(cache.id, by: signer)
            return
        }
        if let known = try await stores.mirrors.find(url: cache.id), known.videoId != video.video.id { return }
        try await stores.mirrors.save(
            videoId: video.video.id, url: cache.id, baseURL: cache.href, host: signer.host, expiresAt: cache.expires)
        try await changed(video.video)
    }

    /// The video's torrents (web seeds) and lists follow its current mirrors.
    func changed(_ video: Video) async throws {
        services.listCache.invalidate()
        let files = try await stores.videoFiles.list(videoId: video.id)
        let mirrors = try await stores.mirrors.list(videoId: video.id, now: services.clock.now()).map(\.baseURL)
        await services.peers.mirrorsChanged(videoUUID: video.uuid, files: files, mirrors: mirrors)
    }

    /// `Undo` of a CacheFile: the mirror dropped its copy.
    func undone(_ url: String, by signer: RemoteActorRecord) async throws {
        guard let mirror = try await stores.mirrors.find(url: url), mirror.host == signer.host else { return }
        try await stores.mirrors.delete(url: url)
        if let video = try await stores.videos.find(.id(mirror.videoId))?.video { try await changed(video) }
    }
}
