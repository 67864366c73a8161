import Foundation

/// Which output a file belongs to.
public enum VideoFileKind: String, Sendable, CaseIterable, Codable {
    /// A faststart MP4 served at `/static/web-videos/`.
    case webVideo = "web-video"
    /// A fragmented MP4 of an HLS playlist served at `/static/streaming-playlists/hls/<uuid>/`.
    case hls
}

/// One playable file of a video at one resolution.
public struct VideoFile: Sendable, Equatable {
    public var id: Int64
    public var videoId: Int64
    public var kind: VideoFileKind
    /// Height in pixels, 0 for audio only.
    public var resolution: Int
    public var width: Int
    public var height: Int
    public var fps: Double
    public var size: Int64
    /// File name inside the kind's folder.
    public var filename: String
    /// The BitTorrent info-hash (hex) of the file's torrent, once made (BEP 3).
    public var infoHash: String?
    /// The torrent's file name in `storage/torrents/`.
    public var torrentFilename: String?
    public var createdAt: Date

    public init(
        id: Int64, videoId: Int64, kind: VideoFileKind, resolution: Int, width: Int, height: Int, fps: Double,
        size: Int64, filename: String, infoHash: String? = nil, torrentFilename: String? = nil, createdAt: Date
    ) {
        self.id = id
        self.videoId = videoId
        self.kind = kind
        self.resolution = resolution
        self.width = width
        self.height = height
        self.fps = fps
        self.size = size
        self.filename = filename
        self.infoHash = infoHash
        self.torrentFilename = torrentFilename
        self.createdAt = createdAt
    }
}

/// Persistence of video files.
public protocol VideoFileStore: Sendable {
    func add(
        videoId: Int64, kind: VideoFileKind, resolution: Int, width: Int, height: Int, fps: Double, size: Int64,
        filename: String
    ) async throws -> VideoFile
    /// Files of a video, highest resolution first.
    func list(videoId: Int64) async throws -> [VideoFile]
    func deleteAll(videoId: Int64) async throws
    /// Records the torrent made for a file.
    func setTorrent(fileId: Int64, infoHash: String, torrentFilename: String) async throws
    /// Every file that has a torrent, with its video's UUID, of public and unlisted videos (the others' files are
    /// private): what the seeder and tracker serve after a restart.
    func listTorrents() async throws -> [(file: VideoFile, videoUUID: UUID)]
}

extension VideoFile {
    /// Where the file lives under `storage.dir` (in the private folders when `privateFiles`).
    public func path(in layout: StorageLayout, videoUUID: UUID, privateFiles: Bool = false) -> String {
        switch kind {
        case .webVideo: layout.webVideosDirectory(privateFiles: privateFiles) + "/" + filename
        case .hls: layout.hlsDirectory(uuid: videoUUID, privateFiles: privateFiles) + "/" + filename
        }
    }

    /// Where the file is in the media store: its kind, and its key there (`<uuid>/<name>` in the HLS kinds).
    public func media(videoUUID: UUID, privateFiles: Bool = false) -> MediaObject {
        switch kind {
        case .webVideo: MediaObject(.webVideos(privateFiles: privateFiles), filename)
        case .hls: MediaObject(.hls(privateFiles: privateFiles), videoUUID.lowercasedString + "/" + filename)
        }
    }

    /// PeerTube's torrent file name: `<uuid>-<res>.torrent` for web videos, `<uuid>-<res>-hls.torrent` for HLS.
    public func defaultTorrentFilename(videoUUID: UUID) -> String {
        let id = videoUUID.lowercasedString
        return kind == .hls ? "\(id)-\(resolution)-hls.torrent" : "\(id)-\(resolution).torrent"
    }
}
