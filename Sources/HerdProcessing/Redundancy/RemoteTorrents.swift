import Foundation
import HerdCore
import HerdFederation
import HerdTorrent
import Logging

/// A remote video's HLS torrents kept on this instance once it knows of mirrors (issue 6), under
/// `torrents/remote/<uuid>/`, with the mirrors' copies added as web seeds (BEP 19: `url-list`, outside the info
/// dictionary, so the info-hash stays the origin's). A BitTorrent client given a torrent here finishes the download
/// from a mirror while the origin is down.
public final class RemoteTorrents: Sendable {
    let media: any MediaStore
    let baseURL: String
    let fetcher: RemoteDocuments
    let logger: Logger

    public init(media: any MediaStore, baseURL: String, fetcher: RemoteDocuments, logger: Logger) {
        self.media = media
        self.baseURL = baseURL
        self.fetcher = fetcher
        self.logger = logger
    }

    /// The `.torrents` key of the video's folder.
    func folder(_ video: Video) -> String { "remote/" + video.uuid.lowercasedString }

    public func baseURL(_ video: Video) -> String {
        baseURL + "/lazy-static/torrents/remote/" + video.uuid.lowercasedString
    }

    public func isKept(_ video: Video) async -> Bool {
        guard !video.isLocal else { return false }
        return await media.exists(.torrents, folder(video))
    }

    /// Fetches (once) and rewrites the video's HLS torrents with web seeds at the origin and at `mirrors`. A
    /// torrent must carry the info-hash the video's magnet names.
    func refresh(_ video: Video, mirrors: [String]) async {
        guard let remote = video.remote, let fetcher = fetcher.transport else { return }
        let folder = folder(video)
        for file in remote.hlsFiles {
            guard let url = file.torrentURL, let magnet = file.magnetURI.flatMap(Magnet.init(uri:)),
                let name = try? VideoCopier.plainName(url), let fileName = try? VideoCopier.plainName(file.fileURL)
            else { continue }
            let key = folder + "/" + name
            do {
                let bytes: [UInt8]
                if let kept = try await media.read(.torrents, key, maxBytes: VideoCopier.maxSmallFile) {
                    bytes = kept
                } else {
                    bytes = try await fetcher.fetchMedia(url, maxBytes: VideoCopier.maxSmallFile)
                }
                let torrent = try TorrentFile(bytes: bytes)
                guard torrent.infoHash == magnet.infoHash else {
                    throw VideoCopier.Refused(reason: "\(url) is not the torrent the magnet names")
                }
                let seeds = [file.fileURL] + mirrors.map { $0 + "/" + fileName }
                try await media.write(.torrents, key, bytes: torrent.withWebSeeds(seeds))
            } catch {
                logger.warning(
                    "cannot keep a remote video's torrent", metadata: ["torrent": "\(url)", "error": "\(error)"])
            }
        }
    }

    func remove(_ video: Video) async {
        try? await media.delete(.torrents, folder(video))
    }
}
