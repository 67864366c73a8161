import Foundation

/// Where a video federated from another instance lives: its ActivityPub id and the origin's media URLs, as its
/// `Video` object listed them. Remote videos are played from these URLs; nothing is copied.
public struct RemoteVideoSource: Sendable, Equatable, Codable {
    /// One playable file on the origin.
    public struct File: Sendable, Equatable, Codable {
        public var resolution: Int
        public var width: Int
        public var height: Int
        public var fps: Double
        public var size: Int64
        public var fileURL: String
        public var torrentURL: String?
        public var magnetURI: String?

        public init(
            resolution: Int, width: Int, height: Int, fps: Double, size: Int64, fileURL: String,
            torrentURL: String? = nil, magnetURI: String? = nil
        ) {
            self.resolution = resolution
            self.width = width
            self.height = height
            self.fps = fps
            self.size = size
            self.fileURL = fileURL
            self.torrentURL = torrentURL
            self.magnetURI = magnetURI
        }
    }

    /// The `Video` object's id (`https://origin/videos/watch/<uuid>`).
    public var url: String
    public var thumbnailURL: String?
    public var previewURL: String?
    /// Web MP4 files, highest resolution first.
    public var webFiles: [File]
    /// The HLS master playlist, its `segments-sha256.json`, and its fragmented MP4 files.
    public var playlistURL: String?
    public var segmentsSha256URL: String?
    public var hlsFiles: [File]
    /// The HLS swarms' info-hashes (`Infohash` tags), hex.
    public var swarmInfoHashes: [String]
    public var trackers: [String]

    public init(
        url: String, thumbnailURL: String? = nil, previewURL: String? = nil, webFiles: [File] = [],
        playlistURL: String? = nil, segmentsSha256URL: String? = nil, hlsFiles: [File] = [],
        swarmInfoHashes: [String] = [], trackers: [String] = []
    ) {
        self.url = url
        self.thumbnailURL = thumbnailURL
        self.previewURL = previewURL
        self.webFiles = webFiles
        self.playlistURL = playlistURL
        self.segmentsSha256URL = segmentsSha256URL
        self.hlsFiles = hlsFiles
        self.swarmInfoHashes = swarmInfoHashes
        self.trackers = trackers
    }
}
