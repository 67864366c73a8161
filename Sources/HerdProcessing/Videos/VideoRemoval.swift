import Foundation
import HerdCore
import Logging

/// Deletes a video with every media file it owns, then its rows.
public final class VideoRemoval: Sendable {
    let stores: Stores
    let media: any MediaStore
    let events: ContentEvents
    let peers: any PeerDelivery
    let federation: VideoFederation
    let copies: MirrorCopies
    let remoteTorrents: RemoteTorrents
    let locks: VideoLocks
    let logger: Logger

    public init(
        stores: Stores, media: any MediaStore, events: ContentEvents, peers: any PeerDelivery,
        federation: VideoFederation, copies: MirrorCopies, remoteTorrents: RemoteTorrents, locks: VideoLocks,
        logger: Logger
    ) {
        self.stores = stores
        self.media = media
        self.events = events
        self.peers = peers
        self.federation = federation
        self.copies = copies
        self.remoteTorrents = remoteTorrents
        self.locks = locks
        self.logger = logger
    }

    public func remove(_ video: Video) async throws {
        // Not while a transcode puts its outputs in place (they would be left behind).
        try await locks.with(video.id) { try await removeHoldingLock(video) }
    }

    func removeHoldingLock(_ video: Video) async throws {
        // This instance's copy of a remote video goes with it (the origin is told).
        try await copies.videoRemoved(video)
        await remoteTorrents.remove(video)
        if VideoFederation.federates(video), let item = try await stores.videos.find(.id(video.id)) {
            try await federation.deleted(item)
        }
        await peers.withdraw(videoUUID: video.uuid, files: try await stores.videoFiles.list(videoId: video.id))
        try await removeFiles(of: video.uuid)
        try await stores.videoFiles.deleteAll(videoId: video.id)
        try await stores.videos.delete(id: video.id)
        events.publish(.video(id: video.id))
    }

    /// Removes every video the query lists (all privacies and states), page by page.
    public func removeAll(channelId: Int64? = nil, accountId: Int64? = nil) async throws {
        let query = VideoQuery(
            pagination: Pagination(count: 100), channelId: channelId, accountId: accountId, privacies: [],
            onlyPublished: false
        )
        while true {
            let page = try await stores.videos.list(query)
            if page.data.isEmpty { return }
            for item in page.data { try await remove(item.video) }
        }
    }

    /// Every file that may belong to the video. Names follow PeerTube: `<uuid>-<res>.mp4`, `<uuid>.jpg`,
    /// `<uuid>-<res>[-hls].torrent`, the HLS folder `<uuid>/`.
    func removeFiles(of uuid: UUID) async throws {
        let id = uuid.lowercasedString
        for kind in [MediaKind.hls, .privateHLS] { try await media.delete(kind, id) }
        let owned: [(MediaKind, String)] = [
            (.originals, id), (.webVideos, id + "-"), (.privateWebVideos, id + "-"), (.thumbnails, id),
            (.previews, id), (.torrents, id + "-"),
        ]
        for (kind, prefix) in owned {
            for key in try await media.deleteAll(kind, prefix: prefix) {
                logger.debug("removed file", metadata: ["kind": "\(kind)", "key": "\(key)"])
            }
        }
    }
}
