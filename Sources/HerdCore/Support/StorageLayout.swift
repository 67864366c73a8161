import Foundation

/// Where everything lives under `storage.dir`. One place decides the paths; handlers and jobs ask it.
public struct StorageLayout: Sendable, Equatable {
    public var root: String

    public init(root: String) {
        self.root = root.hasSuffix("/") && root.count > 1 ? String(root.dropLast()) : root
    }

    public var originals: String { root + "/originals" }
    public var webVideos: String { root + "/web-videos" }
    public var streamingPlaylists: String { root + "/streaming-playlists/hls" }
    public var thumbnails: String { root + "/thumbnails" }
    public var previews: String { root + "/previews" }
    public var torrents: String { root + "/torrents" }
    public var resumableUploads: String { root + "/tmp/resumable-uploads" }
    public var tmp: String { root + "/tmp" }
    /// The files of private, internal and password-protected videos (`VideoPrivacy.filesArePrivate`), as PeerTube
    /// keeps them: served under `/static/web-videos/private/` and `/static/streaming-playlists/hls/private/` only.
    public var privateWebVideos: String { webVideos + "/private" }
    public var privateStreamingPlaylists: String { streamingPlaylists + "/private" }
    /// This instance's verified copies of other instances' videos (issue 6): `redundancy/hls/<uuid>/`.
    public var redundancyHLS: String { root + "/redundancy/hls" }

    /// Folders created at start.
    public var allDirectories: [String] {
        [
            originals, webVideos, streamingPlaylists, privateWebVideos, privateStreamingPlaylists, thumbnails,
            previews, torrents, resumableUploads, tmp, redundancyHLS,
        ]
    }

    public func original(uuid: UUID, extension ext: String) -> String {
        originals + "/" + uuid.lowercasedString + ext
    }

    public func hlsDirectory(uuid: UUID, privateFiles: Bool = false) -> String {
        (privateFiles ? privateStreamingPlaylists : streamingPlaylists) + "/" + uuid.lowercasedString
    }

    public func webVideosDirectory(privateFiles: Bool) -> String { privateFiles ? privateWebVideos : webVideos }

    public func copyDirectory(uuid: UUID) -> String { redundancyHLS + "/" + uuid.lowercasedString }

    /// Every path that may hold a file of the video, removed when the video is deleted.
    /// Names follow PeerTube: `<uuid>-<res>.mp4`, `<uuid>.jpg`, `<uuid>-<res>[-hls].torrent`.
    public func prefixesOwned(by uuid: UUID) -> [(directory: String, prefix: String)] {
        let id = uuid.lowercasedString
        return [
            (originals, id), (webVideos, id + "-"), (privateWebVideos, id + "-"), (thumbnails, id), (previews, id),
            (torrents, id + "-"),
        ]
    }

    public func resumableUpload(id: String) -> String { resumableUploads + "/" + id }
}
