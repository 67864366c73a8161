import Foundation
import HerdCore
import Logging

/// Deletes a video with every file it owns on disk, then its rows.
public struct VideoRemoval: Sendable {
    let stores: Stores
    let layout: StorageLayout
    let events: ContentEvents
    let peers: any PeerDelivery
    let federation: VideoFederation
    let copies: MirrorCopies
    let remoteTorrents: RemoteTorrents
    let logger: Logger

    public init(
        stores: Stores, layout: StorageLayout, events: ContentEvents, peers: any PeerDelivery,
        federation: VideoFederation, copies: MirrorCopies, remoteTorrents: RemoteTorrents, logger: Logger
    ) {
        self.stores = stores
        self.layout = layout
        self.events = events
        self.peers = peers
        self.federation = federation
        self.copies = copies
        self.remoteTorrents = remoteTorrents
        self.logger = logger
    }

    public func remove(_ video: Video) async throws {
        // This instance's copy of a remote video goes with it (the origin is told).
        try await copies.videoRemoved(video)
        remoteTorrents.remove(video)
        if VideoFederation.federates(video), let item = try await stores.videos.find(.id(video.id)) {
            try await federation.deleted(item)
        }
        await peers.withdraw(videoUUID: video.uuid, files: try await stores.videoFiles.list(videoId: video.id))
        let (layout, logger) = (self.layout, self.logger)
        try await Task.detached {
            try Self.removeFiles(of: video.uuid, layout: layout, logger: logger)
        }.value
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

    static func removeFiles(of uuid: UUID, layout: StorageLayout, logger: Logger) throws {
        let fileManager = FileManager.default
        for hls in [layout.hlsDirectory(uuid: uuid), layout.hlsDirectory(uuid: uuid, privateFiles: true)]
        where fileManager.fileExists(atPath: hls) {
            try fileManager.removeItem(atPath: hls)
        }
        for (directory, prefix) in layout.prefixesOwned(by: uuid) {
            guard let names = try? fileManager.contentsOfDirectory(atPath: directory) else { continue }
            for name in names where name.hasPrefix(prefix) {
                try fileManager.removeItem(atPath: directory + "/" + name)
                logger.debug("removed file", metadata: ["path": "\(directory)/\(name)"])
            }
        }
    }
}
