import HerdCore
import HerdTorrent

/// A local file's links as PeerTube gives them in the REST API and in ActivityPub objects alike: where it is served
/// and downloaded, and, when it is seeded, its torrent and magnet (BEP 9) with the file and the mirrors' copies as
/// web seeds (BEP 19). Files of videos whose files are private have no torrent.
public struct LocalFileLinks: Sendable, Equatable {
    public var file: String
    public var download: String
    public var torrent: String?
    public var torrentDownload: String?
    public var magnet: String?

    /// - Parameter mirrors: base URLs of mirrors' copies of the HLS playlist directory (HLS files only).
    public init(
        _ file: VideoFile, videoUUID: String, videoName: String, baseURL: String, trackers: TrackerURLs,
        mirrors: [String] = [], privateFiles: Bool = false
    ) {
        let urls = MediaURLs(baseURL: baseURL)
        self.file = urls.file(file, videoUUID: videoUUID, privateFiles: privateFiles)
        download = urls.download(file)
        guard !privateFiles, let name = file.torrentFilename, let infoHash = file.infoHash else { return }
        let torrent = urls.torrent(name)
        self.torrent = torrent
        torrentDownload = urls.torrentDownload(name)
        magnet =
            Magnet(
                infoHash: infoHash, name: videoName, trackers: trackers.all,
                webSeeds: [self.file] + (file.kind == .hls ? mirrors.map { $0 + "/" + file.filename } : []),
                torrentURL: torrent
            ).uri
    }
}
