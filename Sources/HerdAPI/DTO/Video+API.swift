import Foundation
import HerdCore
import HerdProcessing
import HerdTorrent

/// PeerTube's `Video` JSON (lists) and, with `details`, `VideoDetails` (`GET /api/v1/videos/{id}`).
struct VideoDTO: Encodable {
    var id: Int64
    var uuid: String
    var shortUUID: String
    var url: String
    var name: String
    var category: OptionalLabeled<Int>
    var licence: OptionalLabeled<Int>
    var language: OptionalLabeled<String>
    var privacy: Labeled<Int>
    var nsfw: Bool
    var truncatedDescription: String?
    var description: String?
    var isLocal: Bool
    var duration: Int
    var aspectRatio: Double?
    var views: Int
    var viewers = 0
    var likes: Int
    var dislikes: Int
    var thumbnailPath: String?
    var previewPath: String?
    var embedPath: String
    var createdAt: String
    var updatedAt: String
    var publishedAt: String
    var originallyPublishedAt: String?
    var isLive = false
    var state: Labeled<Int>
    var waitTranscoding: Bool
    var account: ActorSummaryDTO
    var channel: ActorSummaryDTO
    // VideoDetails only.
    var support: String?
    var descriptionPath: String?
    var tags: [String]?
    var commentsEnabled: Bool?
    var commentsPolicy: Labeled<Int>?
    var downloadEnabled: Bool?
    var trackerUrls: [String]?
    var files: [VideoFileDTO]?
    var streamingPlaylists: [StreamingPlaylistDTO]?
    var stateReason: String?
    /// While the video waits for or runs its transcoding job: the job's state and progress.
    var transcodingProgress: TranscodingProgressDTO?

    static let truncatedLength = 250

    /// PeerTube's list form of a description: at most 250 characters, ending in "..." when cut.
    static func truncate(_ text: String) -> String {
        // Characters never outnumber UTF-8 bytes, so short texts skip the grapheme walk; long ones are walked to the
        // limit only, never counted whole (a list of long descriptions spent 4% of its time counting them).
        guard text.utf8.count > truncatedLength else { return text }
        // ASCII without CR is one character per byte (only CR LF joins ASCII bytes into one grapheme, and what
        // extends a character is never ASCII): the cut is a byte offset, with no grapheme walk.
        let ascii = text.utf8.prefix(truncatedLength + 1).allSatisfy { $0 < 0x80 && $0 != 0x0D }
        if ascii { return String(Substring(text.utf8.prefix(truncatedLength - 3))) + "..." }
        guard let limit = text.index(text.startIndex, offsetBy: truncatedLength, limitedBy: text.endIndex),
            limit != text.endIndex
        else { return text }
        return String(text[..<text.index(text.startIndex, offsetBy: truncatedLength - 3)]) + "..."
    }

    /// - Parameter mirrors: base URLs of other instances' copies of a local video's HLS playlist (issue 6): listed as
    ///   its redundancies, and as web seeds in its HLS files' magnets.
    /// - Parameter remoteTorrents: where this instance keeps a remote video's torrents (with its mirrors as web
    ///   seeds), if it does.
    init(
        _ value: VideoWithOwner, baseURL: String, localHost: String, details: Bool, files: [VideoFile] = [],
        mirrors: [String] = [], remoteTorrents: String? = nil
    ) {
        let video = value.video
        let uuid = video.uuid.lowercasedString
        id = video.id
        self.uuid = uuid
        shortUUID = video.shortUUID
        url = ActivityPubURLs(baseURL: baseURL).video(video)
        name = video.name
        category = OptionalLabeled(
            id: video.category, label: video.category.flatMap { VideoConstants.categories[$0] } ?? "Unknown"
        )
        licence = OptionalLabeled(
            id: video.licence, label: video.licence.flatMap { VideoConstants.licences[$0] } ?? "Unknown"
        )
        language = OptionalLabeled(
            id: video.language, label: video.language.flatMap { VideoConstants.languages[$0] } ?? "Unknown"
        )
        privacy = Labeled(id: video.privacy.rawValue, label: video.privacy.label)
        nsfw = video.nsfw
        let truncated = video.description.map(Self.truncate)
        truncatedDescription = truncated
        description = details ? video.description : truncated
        isLocal = video.isLocal
        duration = video.duration
        views = video.views
        likes = video.likes
        dislikes = video.dislikes
        let hasImages = video.state == .published && (video.isLocal || video.remote?.thumbnailURL != nil)
        thumbnailPath = hasImages ? "/lazy-static/thumbnails/\(uuid).jpg" : nil
        previewPath = hasImages ? "/lazy-static/previews/\(uuid).jpg" : nil
        embedPath = "/videos/embed/\(uuid)"
        createdAt = isoDate(video.createdAt)
        updatedAt = isoDate(video.updatedAt)
        publishedAt = isoDate(video.publishedAt)
        originallyPublishedAt = video.originallyPublishedAt.map(isoDate)
        state = Labeled(id: video.state.rawValue, label: video.state.label)
        waitTranscoding = video.waitTranscoding
        account = ActorSummaryDTO(value.account, baseURL: baseURL, localHost: localHost)
        channel = ActorSummaryDTO(value.channel, baseURL: baseURL, localHost: localHost)
        if let largest = files.first, largest.height > 0 {
            aspectRatio = Double(largest.width) / Double(largest.height)
        } else if let largest = video.remote.flatMap({ $0.hlsFiles.first ?? $0.webFiles.first }), largest.height > 0 {
            aspectRatio = Double(largest.width) / Double(largest.height)
        }
        guard details else { return }
        support = video.support
        descriptionPath = "/api/v1/videos/\(uuid)/description"
        tags = video.tags
        commentsEnabled = video.commentsPolicy != .disabled
        commentsPolicy = Labeled(id: video.commentsPolicy.rawValue, label: video.commentsPolicy.label)
        downloadEnabled = video.downloadEnabled
        stateReason = video.stateReason
        if let remote = video.remote {
            // A remote video plays from its origin: the origin's files, playlist, torrents and trackers.
            trackerUrls = remote.trackers
            self.files = remote.webFiles.enumerated().map { VideoFileDTO(remote: $1, id: Int64($0 + 1)) }
            streamingPlaylists =
                remote.playlistURL.map { playlist in
                    [
                        StreamingPlaylistDTO(
                            playlistUrl: playlist, segmentsSha256Url: remote.segmentsSha256URL ?? "",
                            files: remote.hlsFiles.enumerated().map {
                                VideoFileDTO(
                                    remote: $1, id: Int64(remote.webFiles.count + $0 + 1), mirrors: mirrors,
                                    torrents: remoteTorrents)
                            },
                            redundancies: mirrors.map { .init(baseUrl: $0) })
                    ]
                } ?? []
            return
        }
        let trackers = TrackerURLs(baseURL: baseURL)
        trackerUrls = trackers.all
        let context = VideoFileDTO.Context(
            uuid: uuid, videoName: video.name, baseURL: baseURL, trackers: trackers, mirrors: mirrors,
            privateFiles: video.privacy.filesArePrivate)
        self.files = files.filter { $0.kind == .webVideo }.map { VideoFileDTO($0, context) }
        let hlsFiles = files.filter { $0.kind == .hls }
        streamingPlaylists =
            hlsFiles.isEmpty
            ? []
            : [
                StreamingPlaylistDTO(
                    uuid: uuid, files: hlsFiles.map { VideoFileDTO($0, context) }, baseURL: baseURL,
                    privateFiles: context.privateFiles, redundancies: mirrors.map { .init(baseUrl: $0) }
                )
            ]
    }
}

/// Progress of a video's transcoding job.
struct TranscodingProgressDTO: Encodable {
    var state: String
    var percent: Double
    var fps: Double?
    var eta: Double?
    var attempts: Int
}

/// One entry of `files[]` or `streamingPlaylists[].files[]`.
struct VideoFileDTO: Encodable {
    var id: Int64
    var resolution: Labeled<Int>
    var width: Int
    var height: Int
    var size: Int64
    var fps: Double
    var fileUrl: String
    var fileDownloadUrl: String
    var hasAudio = true
    var hasVideo: Bool
    var torrentUrl: String?
    var torrentDownloadUrl: String?
    var magnetUri: String?

    struct Context {
        var uuid: String
        var videoName: String
        var baseURL: String
        var trackers: TrackerURLs
        /// Mirrors' copies of the HLS playlist directory.
        var mirrors: [String] = []
        /// The files are in the private folders (private, internal and password-protected videos): their URLs are
        /// PeerTube's `…/private/…` ones, and they have no torrents (neither tracked nor seeded).
        var privateFiles = false
    }

    /// A file on a remote video's origin, as its `Video` object listed it.
    /// - Parameters:
    ///   - mirrors: copies of the HLS playlist directory, added to the magnet as web seeds (BEP 19);
    ///   - torrents: where this instance keeps the torrents, if it does (they name the mirrors too).
    init(remote file: RemoteVideoSource.File, id: Int64, mirrors: [String] = [], torrents: String? = nil) {
        self.id = id
        resolution = Labeled(id: file.resolution, label: file.resolution == 0 ? "Audio only" : "\(file.resolution)p")
        width = file.width
        height = file.height
        size = file.size
        fps = file.fps
        hasVideo = file.resolution > 0
        fileUrl = file.fileURL
        fileDownloadUrl = file.fileURL
        let name = file.fileURL.split(separator: "/").last.map(String.init) ?? ""
        var kept: String?
        if let torrents, let url = file.torrentURL, let torrentName = url.split(separator: "/").last {
            kept = torrents + "/" + torrentName
        }
        torrentUrl = kept ?? file.torrentURL
        torrentDownloadUrl = kept ?? file.torrentURL
        if !mirrors.isEmpty, var magnet = file.magnetURI.flatMap(Magnet.init(uri:)) {
            magnet.webSeeds += mirrors.map { $0 + "/" + name }.filter { !magnet.webSeeds.contains($0) }
            if let kept { magnet.torrentURL = kept }
            magnetUri = magnet.uri
        } else {
            magnetUri = file.magnetURI
        }
    }

    init(_ file: VideoFile, _ context: Context) {
        id = file.id
        resolution = Labeled(id: file.resolution, label: file.resolution == 0 ? "Audio only" : "\(file.resolution)p")
        width = file.width
        height = file.height
        size = file.size
        fps = file.fps
        hasVideo = file.resolution > 0
        let links = LocalFileLinks(
            file, videoUUID: context.uuid, videoName: context.videoName, baseURL: context.baseURL,
            trackers: context.trackers, mirrors: context.mirrors, privateFiles: context.privateFiles)
        fileUrl = links.file
        fileDownloadUrl = links.download
        torrentUrl = links.torrent
        torrentDownloadUrl = links.torrentDownload
        magnetUri = links.magnet
    }
}

/// An HLS playlist with its fragmented MP4 files.
struct StreamingPlaylistDTO: Encodable {
    var id: Int64 = 1
    var type = 1
    var playlistUrl: String
    var segmentsSha256Url: String
    var redundancies: [Redundancy] = []
    var files: [VideoFileDTO]

    struct Redundancy: Encodable { var baseUrl: String }

    init(playlistUrl: String, segmentsSha256Url: String, files: [VideoFileDTO], redundancies: [Redundancy] = []) {
        self.redundancies = redundancies
        self.playlistUrl = playlistUrl
        self.segmentsSha256Url = segmentsSha256Url
        self.files = files
    }

    init(
        uuid: String, files: [VideoFileDTO], baseURL: String, privateFiles: Bool = false,
        redundancies: [Redundancy] = []
    ) {
        self.redundancies = redundancies
        let urls = MediaURLs(baseURL: baseURL)
        playlistUrl = urls.masterPlaylist(videoUUID: uuid, privateFiles: privateFiles)
        segmentsSha256Url = urls.segmentsSha256(videoUUID: uuid, privateFiles: privateFiles)
        self.files = files
    }
}
