import Foundation
import HerdCore
import Logging

/// The files of private, internal and password-protected videos live in the private folders (PeerTube's layout:
/// `web-videos/private/`, `streaming-playlists/hls/private/<uuid>/`), which only `StaticFiles`' private mounts
/// serve, after `VideoFilesAccess`. A change of privacy moves them (renames within one file system) and withdraws or
/// restores their torrents, tracker swarms and seeding; a start puts right what a crash left half moved.
public final class PrivateFiles: Sendable {
    let stores: Stores
    let media: any MediaStore
    let peers: any PeerDelivery

    public init(stores: Stores, media: any MediaStore, peers: any PeerDelivery) {
        self.stores = stores
        self.media = media
        self.peers = peers
    }

    /// Saves `updated` (an edit of `before`), moving its files when their folder changes. Going private, the files
    /// leave the public folders before the new privacy is saved; going public, after: at no moment are the files of
    /// a video public that the database calls private.
    public func save(_ updated: Video, before: Video) async throws {
        let (wasPrivate, isPrivate) = (before.privacy.filesArePrivate, updated.privacy.filesArePrivate)
        guard updated.isLocal, wasPrivate != isPrivate else { return try await stores.videos.update(updated) }
        let files = try await stores.videoFiles.list(videoId: updated.id)
        if isPrivate {
            await peers.withdraw(videoUUID: updated.uuid, files: files)
            try await move(updated.uuid, toPrivate: true)
            try await stores.videos.update(updated)
        } else {
            try await stores.videos.update(updated)
            try await move(updated.uuid, toPrivate: false)
            if updated.state == .published, files.contains(where: { $0.infoHash != nil }) {
                await peers.publish(videoUUID: updated.uuid, files: files)
            }
        }
    }

    /// Moves whatever files of the video lie in the other folders (the HLS folder, the web MP4s) into the private
    /// (or public) ones. Idempotent: a file already in place stays.
    func move(_ uuid: UUID, toPrivate: Bool) async throws {
        try await media.move(
            uuid.lowercasedString, from: .hls(privateFiles: !toPrivate), to: .hls(privateFiles: toPrivate))
        let (from, to) = (MediaKind.webVideos(privateFiles: !toPrivate), MediaKind.webVideos(privateFiles: toPrivate))
        let prefix = uuid.lowercasedString + "-"
        for key in try await media.keys(from) where key.hasPrefix(prefix) {
            try await media.move(key, from: from, to: to)
        }
    }

    /// At start: every local video's files are put in the folders its privacy asks for (a crash may have stopped a
    /// move half-way). Files of videos that no longer exist stay where they are. Returns how many videos moved.
    public func reconcile(logger: Logger) async throws -> Int {
        var privateVideos: Set<UUID> = []
        // Local videos are picked here, not in SQL: asked for local ones, SQLite goes through the local channels and
        // reads every one of their videos, where the privacy index finds the few private ones (issue 16).
        var query = VideoQuery(
            pagination: Pagination(start: 0, count: Pagination.maxCount),
            privacies: [.private, .internal, .passwordProtected], onlyPublished: false)
        while true {
            let page = try await stores.videos.list(query)
            privateVideos.formUnion(page.data.lazy.filter(\.video.isLocal).map(\.video.uuid))
            if page.data.count < query.pagination.count { break }
            query.pagination.start += query.pagination.count
        }
        let (inPublic, inPrivate) = (
            try await videosWithFiles(privateFiles: false), try await videosWithFiles(privateFiles: true)
        )
        var moves = inPublic.intersection(privateVideos).map { ($0, true) }
        for uuid in inPrivate.subtracting(privateVideos) {
            guard let found = try await stores.videos.find(.uuid(uuid)), found.video.isLocal else { continue }
            moves.append((uuid, false))
        }
        for (uuid, toPrivate) in moves { try await move(uuid, toPrivate: toPrivate) }
        if !moves.isEmpty {
            logger.notice("moved video files left in the wrong folders", metadata: ["videos": "\(moves.count)"])
        }
        return moves.count
    }

    /// The videos that have files in the public (or private) folders, by the names of those files.
    func videosWithFiles(privateFiles: Bool) async throws -> Set<UUID> {
        let hls = try await media.keys(.hls(privateFiles: privateFiles))
        let web = try await media.keys(.webVideos(privateFiles: privateFiles))
        return Set(hls.compactMap { UUID(uuidString: $0) } + web.compactMap { UUID(uuidString: String($0.prefix(36))) })
    }
}
