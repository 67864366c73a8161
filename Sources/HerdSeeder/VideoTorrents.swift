import Foundation
import HerdBencode
import HerdCore
import HerdTorrent

/// Makes and rewrites the torrents of a video's published files (BEP 3, 12, 19).
///
/// Each file gets `storage/torrents/<uuid>-<res>[-hls].torrent` with the instance's HTTP and WebSocket trackers and
/// web seeds at the origin and at every mirror. Piece hashes are computed in one streaming pass over the file;
/// rewriting for a new list of mirrors reuses them, so the info-hash never changes.
public struct VideoTorrents: Sendable {
    let stores: Stores
    let layout: StorageLayout
    let baseURL: String
    let clock: any WallClock

    public init(stores: Stores, layout: StorageLayout, baseURL: String, clock: any WallClock) {
        self.stores = stores
        self.layout = layout
        self.baseURL = baseURL
        self.clock = clock
    }

    var trackers: TrackerURLs { TrackerURLs(baseURL: baseURL) }

    /// Hashes every file of the video (read at `localPath`), writes its torrent and records the info-hash. Returns
    /// the updated files.
    public func make(
        for video: Video, files: [VideoFile], localPath: @Sendable (VideoFile) -> String, mirrors: [String] = []
    ) async throws -> [VideoFile] {
        var updated: [VideoFile] = []
        for var file in files {
            let path = localPath(file)
            let name = Self.torrentName(video: video, file: file)
            let announce = trackers.announceList
            let seeds = webSeeds(for: file, videoUUID: video.uuid, mirrors: mirrors)
            let date = Int64(clock.now().timeIntervalSince1970)
            let metainfo = try await MediaThread.run {
                try PieceHasher.metainfo(
                    forFileAt: path, name: name, announceList: announce, urlList: seeds, creationDate: date)
            }
            let torrentName = file.defaultTorrentFilename(videoUUID: video.uuid)
            try write(metainfo, to: torrentName)
            try await stores.videoFiles.setTorrent(
                fileId: file.id, infoHash: metainfo.infoHash, torrentFilename: torrentName)
            file.infoHash = metainfo.infoHash
            file.torrentFilename = torrentName
            updated.append(file)
        }
        return updated
    }

    /// Rewrites the torrents of a video's files with the web seeds of a new list of mirrors (the base URLs of their
    /// copies of the HLS playlist directory).
    public func rewrite(for video: Video, mirrors: [String]) async throws {
        for file in try await stores.videoFiles.list(videoId: video.id) {
            _ = try refresh(file, videoUUID: video.uuid, mirrors: mirrors)
        }
    }

    /// Reads a file's torrent and, when its trackers or web seeds are not the current ones (another list of mirrors,
    /// or the instance moved to another address), writes it again. Returns the torrent as it now is.
    func refresh(_ file: VideoFile, videoUUID: UUID, mirrors: [String]) throws -> Metainfo? {
        guard let torrentName = file.torrentFilename else { return nil }
        let data = try Data(contentsOf: URL(fileURLWithPath: layout.torrents + "/" + torrentName))
        var metainfo = try Metainfo(bencoded: try BencodeDecoder().decode(Array(data)))
        let seeds = webSeeds(for: file, videoUUID: videoUUID, mirrors: mirrors)
        let tiers = trackers.announceList
        guard metainfo.urlList != seeds || metainfo.announceList != tiers || metainfo.announce != tiers.first?.first
        else { return metainfo }
        metainfo.urlList = seeds
        metainfo.announceList = tiers
        metainfo.announce = tiers.first?.first
        try write(metainfo, to: torrentName)
        return metainfo
    }

    /// BEP 19: the file's URL at the origin, then, for HLS files, the same file in each mirror's copy of the
    /// playlist directory (mirrors copy HLS, as PeerTube's do).
    func webSeeds(for file: VideoFile, videoUUID: UUID, mirrors: [String]) -> [String] {
        let origin = baseURL + Self.staticPath(of: file, videoUUID: videoUUID)
        return file.kind == .hls ? [origin] + mirrors.map { $0 + "/" + file.filename } : [origin]
    }

    /// The base URLs of a video's mirrors' copies, as `webSeeds` takes them.
    func mirrors(videoId: Int64?) async -> [String] {
        guard let videoId else { return [] }
        return (try? await stores.mirrors.list(videoId: videoId, now: clock.now()).map(\.baseURL)) ?? []
    }

    static func staticPath(of file: VideoFile, videoUUID: UUID) -> String {
        MediaURLs().file(file, videoUUID: videoUUID.lowercasedString)
    }

    /// PeerTube's torrent name: `<video name> <res>p.mp4`, with characters file systems refuse replaced by `-`.
    static func torrentName(video: Video, file: VideoFile) -> String {
        let unsafe = Set("/\\?%*:|\"<>")
        let cleaned = String(video.name.map { unsafe.contains($0) ? "-" : $0 })
        let label = file.resolution == 0 ? "audio" : "\(file.resolution)p"
        return "\(cleaned) \(label)\(file.kind == .hls ? "-fragmented" : "").mp4"
    }

    /// Writes atomically: a reader never sees half a torrent.
    private func write(_ metainfo: Metainfo, to torrentName: String) throws {
        let bytes = metainfo.bencoded.encoded()
        try Data(bytes).write(to: URL(fileURLWithPath: layout.torrents + "/" + torrentName), options: .atomic)
    }
}
