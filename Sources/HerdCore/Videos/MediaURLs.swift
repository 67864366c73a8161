/// Where a local video's files are served and downloaded, on PeerTube's paths: the one place the REST API, the
/// ActivityPub objects, the torrents' web seeds and the player's swarm keys take them from (issue 17).
public struct MediaURLs: Sendable {
    /// The instance's public URL (`https://host[:port]`); empty for paths.
    public let baseURL: String

    public init(baseURL: String = "") {
        self.baseURL = baseURL
    }

    /// The file as served: `/static/web-videos/…`, or `/static/streaming-playlists/hls/<uuid>/…` for an HLS
    /// fragment; under `private/` when the video's files are private (`VideoPrivacy.filesArePrivate`).
    public func file(_ file: VideoFile, videoUUID: String, privateFiles: Bool = false) -> String {
        switch file.kind {
        case .webVideo: "\(baseURL)/static/web-videos/\(privateFiles ? "private/" : "")\(file.filename)"
        case .hls: "\(hlsFolder(videoUUID: videoUUID, privateFiles: privateFiles))/\(file.filename)"
        }
    }

    /// The file as a download (sent as an attachment, by the video's download rules).
    public func download(_ file: VideoFile) -> String {
        switch file.kind {
        case .webVideo: "\(baseURL)/download/web-videos/\(file.filename)"
        case .hls: "\(baseURL)/download/streaming-playlists/hls/videos/\(file.filename)"
        }
    }

    /// A torrent file by its name, as served and as a download.
    public func torrent(_ name: String) -> String { "\(baseURL)/lazy-static/torrents/\(name)" }
    public func torrentDownload(_ name: String) -> String { "\(baseURL)/download/torrents/\(name)" }

    /// The folder of a video's HLS playlists and fragments.
    public func hlsFolder(videoUUID: String, privateFiles: Bool = false) -> String {
        "\(baseURL)/static/streaming-playlists/hls/\(privateFiles ? "private/" : "")\(videoUUID)"
    }

    /// The master playlist (RFC 8216 §4.3.4) and PeerTube's `segments-sha256.json` of a video.
    public func masterPlaylist(videoUUID: String, privateFiles: Bool = false) -> String {
        "\(hlsFolder(videoUUID: videoUUID, privateFiles: privateFiles))/\(videoUUID)-master.m3u8"
    }
    public func segmentsSha256(videoUUID: String, privateFiles: Bool = false) -> String {
        "\(hlsFolder(videoUUID: videoUUID, privateFiles: privateFiles))/\(videoUUID)-segments-sha256.json"
    }
}
