import Foundation
import HerdCore
import HerdFederation
import HerdTorrent
import Logging

/// This instance's copies of other instances' videos (issue 6): requested by a strategy or an administrator,
/// copied and verified by the `video-redundancy` job (`VideoCopier`), served from `/static/redundancy/hls/<uuid>/`,
/// seeded, and announced to the origin as a `CacheFile` (PeerTube's shape): `Create` once ready, `Update` before it
/// expires, `Undo` when the copy goes.
public final class MirrorCopies: Sendable {
    public static let jobAttempts = 3

    let stores: Stores
    let media: any MediaStore
    let settings: RedundancySettings
    let copier: VideoCopier
    let peers: any PeerDelivery
    let videos: VideoFederation
    let clock: any WallClock
    let logger: Logger

    public init(
        stores: Stores, media: any MediaStore, settings: RedundancySettings, copier: VideoCopier,
        peers: any PeerDelivery, videos: VideoFederation, clock: any WallClock, logger: Logger
    ) {
        self.stores = stores
        self.media = media
        self.settings = settings
        self.copier = copier
        self.peers = peers
        self.videos = videos
        self.clock = clock
        self.logger = logger
    }

    var actors: LocalActors { videos.actors }

    /// A copy's folder: copies are hashed and seeded in place, so they are kept where the store has local files.
    func integrity(_ video: Video) -> CopyIntegrity {
        CopyIntegrity(directory: media.localPath(.copies, video.uuid.lowercasedString) ?? "/nonexistent")
    }

    /// Hosts this instance follows (accepted); with `allowedOnly`, those an administrator let the strategies mirror.
    public func followedHosts(allowedOnly: Bool) async throws -> Set<String> {
        let page = try await stores.federation.follows(
            following: nil, follower: actors.urls.instanceActor, start: 0, count: 10_000)
        return Set(
            page.data.filter { $0.state == .accepted && (!allowedOnly || $0.redundancyAllowed) }
                .compactMap { URLParts($0.following)?.authority })
    }

    /// Starts copying a remote video: checks it may be mirrored, records the copy and queues the job.
    @discardableResult
    public func request(videoId: Int64, strategy: RedundancyStrategy) async throws -> MirrorCopy {
        guard videos.enabled else {
            throw HerdError(.badRequest, "federation is disabled on this instance")
        }
        guard let item = try await stores.videos.find(.id(videoId)) else {
            throw HerdError.notFound("video \(videoId) not found")
        }
        let video = item.video
        guard let remote = video.remote, let host = URLParts(remote.url)?.authority else {
            throw HerdError.badRequest("video \(videoId) is a local video: only other instances' videos are mirrored")
        }
        guard video.privacy == .public, video.state == .published, !remote.hlsFiles.isEmpty else {
            throw HerdError.badRequest("video \(videoId) is not a public published video with an HLS playlist")
        }
        guard try await followedHosts(allowedOnly: strategy != .manual).contains(host) else {
            throw HerdError.badRequest(
                strategy == .manual
                    ? "this instance does not follow \(host)" : "mirroring \(host)'s videos is not allowed")
        }
        guard let copy = try await stores.copies.create(videoId: videoId, strategy: strategy, now: clock.now())
        else { throw HerdError.conflict("video \(videoId) is already mirrored") }
        try await stores.jobs.enqueue(
            CopyVideoPayload(copyId: copy.id), runAfter: clock.now(), maxAttempts: Self.jobAttempts)
        logger.info(
            "mirroring a video", metadata: ["video": "\(video.uuid)", "origin": "\(host)", "strategy": "\(strategy)"])
        return copy
    }

    /// How long a copy is announced for: its strategy's minimum lifetime, and never less than three checks (so a
    /// renewal comes in time); manual copies a day at least.
    func lifetime(_ strategy: RedundancyStrategy) -> TimeInterval {
        let floor = TimeInterval(3 * settings.checkInterval)
        guard let config = settings.strategies.first(where: { $0.strategy == strategy }) else {
            return max(floor, 86400)
        }
        return max(floor, config.minLifetime)
    }

    /// The job: copies and verifies the video, then serves, seeds and announces it. A failed last attempt
    /// forgets the copy (a strategy may pick the video again at its next run).
    public func run(_ payload: CopyVideoPayload, attempt: Int, lastAttempt: Bool) async throws {
        let copyId = payload.copyId
        guard let copy = try await stores.copies.find(id: copyId), copy.state == .copying,
            let item = try await stores.videos.find(.id(copy.videoId)), let url = item.video.remote?.url
        else { return }
        let started = Date()
        let size: Int64
        do {
            size = try await copier.copy(item.video, url: url)
        } catch {
            logger.warning(
                "cannot copy a video",
                metadata: ["video": "\(item.video.uuid)", "attempt": "\(attempt)", "error": "\(error)"])
            if lastAttempt { try await stores.copies.delete(id: copy.id) }
            throw error
        }
        guard try await stores.copies.find(id: copy.id) != nil else {
            // Dropped while it was being copied (by an administrator, or the origin deleted the video).
            try? await media.delete(.copies, item.video.uuid.lowercasedString)
            return
        }
        let now = clock.now()
        try await stores.copies.markReady(id: copy.id, size: size, expiresAt: now + lifetime(copy.strategy), now: now)
        let seconds = Date().timeIntervalSince(started)
        logger.notice(
            "mirrored a video",
            metadata: [
                "video": "\(item.video.uuid)", "bytes": "\(size)", "seconds": "\(String(format: "%.3f", seconds))",
            ])
        guard let ready = try await stores.copies.find(id: copy.id) else { return }
        await seed(ready, item)
        try await announce(.create, ready, item)
    }

    /// Seeds a ready copy's files, announcing the seeder to the origin's trackers.
    func seed(_ copy: MirrorCopy, _ item: VideoWithOwner) async {
        let torrents = integrity(item.video).torrents()
        await peers.seedCopy(
            videoUUID: item.video.uuid,
            torrents: torrents.map {
                CopiedTorrent(
                    path: $0.path, infoHash: $0.torrent.infoHash, length: $0.torrent.metainfo.length,
                    pieceLength: $0.torrent.metainfo.pieceLength)
            },
            originTrackers: item.video.remote?.trackers ?? [])
    }

    /// Seeds every ready copy again after a restart; copies left half-made by a stop are restarted by their job.
    public func restore() async throws {
        for copy in try await stores.copies.list() where copy.state == .ready {
            guard let item = try await stores.videos.find(.id(copy.videoId)) else { continue }
            await seed(copy, item)
        }
    }

    /// Removes a copy: no longer seeded or served, its files deleted, the origin told (`Undo CacheFile`).
    public func remove(_ copy: MirrorCopy, reason: String) async throws {
        let item = try await stores.videos.find(.id(copy.videoId))
        if let item {
            await peers.withdrawCopy(videoUUID: item.video.uuid)
            try await media.delete(.copies, item.video.uuid.lowercasedString)
        }
        try await stores.copies.delete(id: copy.id)
        logger.notice(
            "dropped a copy of a video",
            metadata: ["video": "\(item?.video.uuid.uuidString ?? "\(copy.videoId)")", "reason": "\(reason)"])
        if let item, copy.state == .ready { try? await announce(.undo, copy, item) }
    }

    /// Checks a ready copy on disk: cheaply (sizes and times against its manifest) every time, hashing it whole
    /// when something changed or `verify_interval` passed. A damaged copy is logged, withdrawn and discarded.
    public func checkOnDisk(_ copy: MirrorCopy) async throws {
        guard copy.state == .ready, let item = try await stores.videos.find(.id(copy.videoId)) else { return }
        let now = clock.now()
        let integrity = integrity(item.video)
        let changed = (try? integrity.changedFiles()) ?? [CopyIntegrity.manifestName]
        let due = copy.verifiedAt.map { now.timeIntervalSince($0) >= TimeInterval(settings.verifyInterval) } ?? true
        guard !changed.isEmpty || due else { return }
        do {
            try await Task.detached { try integrity.verify() }.value
            if !changed.isEmpty { try integrity.writeManifest() }
            try await stores.copies.markVerified(id: copy.id, at: now)
        } catch {
            logger.error(
                "a copy of a remote video is damaged: no longer served, discarded",
                metadata: ["video": "\(item.video.uuid)", "problem": "\(error)", "changed": "\(changed)"])
            try await remove(copy, reason: "damaged on disk: \(error)")
        }
    }

    /// Announces a ready copy again for another lifetime (`Update CacheFile`).
    public func renew(_ copy: MirrorCopy) async throws {
        guard copy.state == .ready, let item = try await stores.videos.find(.id(copy.videoId)) else { return }
        let now = clock.now()
        try await stores.copies.renew(id: copy.id, expiresAt: now + lifetime(copy.strategy), now: now)
        guard let renewed = try await stores.copies.find(id: copy.id) else { return }
        try await announce(.update, renewed, item)
    }

    /// A remote video is being deleted (its origin deleted it): its copy goes first.
    public func videoRemoved(_ video: Video) async throws {
        guard !video.isLocal, let copy = try await stores.copies.find(videoId: video.id) else { return }
        try await remove(copy, reason: "the origin deleted the video")
    }

    /// The copy as PeerTube's `CacheFile`: its id and `url` on this instance, its `object` the video at its origin.
    public func cacheFile(_ copy: MirrorCopy, video: Video) -> CacheFileObject? {
        guard let url = video.remote?.url else { return nil }
        let id = video.uuid.lowercasedString
        let base = actors.urls.baseURL
        return CacheFileObject(
            id: "\(base)/redundancy/streaming-playlists/hls/\(id)", object: url, expires: copy.expiresAt,
            href: "\(base)/static/redundancy/hls/\(id)")
    }

    /// Sends `Create`, `Update` or `Undo` of the copy's CacheFile to the video's origin, from the instance actor.
    func announce(_ type: ActivityType, _ copy: MirrorCopy, _ item: VideoWithOwner) async throws {
        guard videos.enabled, let cache = cacheFile(copy, video: item.video) else { return }
        let inboxes = try await videos.audience(item)
        guard !inboxes.isEmpty else { return }
        let actor = actors.urls.instanceActor
        let object = cache.json(formatDate: isoDate)
        let stamp = "\(Int(clock.now().timeIntervalSince1970 * 1000))"
        let activity: JSONValue
        switch type {
        case .undo:
            let created = Activities.wrap(.create, id: cache.id + "/activity", actor: actor, object: object)
            activity = Activities.undo(id: cache.id + "/undo/" + stamp, actor: actor, object: created)
        default:
            activity = Activities.wrap(
                type, id: cache.id + "/\(type.name.lowercased())/" + stamp, actor: actor, object: object)
        }
        let instance = try await actors.instanceAccount()
        try await videos.outbox.send(activity, to: inboxes, from: .account(instance.id))
    }
}
