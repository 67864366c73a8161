import Foundation
import HerdCore
import HerdCrypto
import HerdFederation
import HerdTorrent

/// A local video as PeerTube's ActivityPub `Video` object (`video-activity-pub-format.ts`): what `Create`, `Update`
/// and fetches of `/videos/watch/{uuid}` carry. File URLs, torrents and magnets come from the same builders as
/// the REST API's, so both always agree.
public enum VideoActivityPub {
    public static func object(_ value: VideoWithOwner, files: [VideoFile], baseURL: String) -> JSONValue {
        let video = value.video
        let uuid = video.uuid.lowercasedString
        let id = ActivityPubURLs(baseURL: baseURL).video(video)  // a local video: /videos/watch/{uuid}
        let urls = ActorURLs(baseURL: baseURL)
        let channelURL = urls.channel(value.channel.name)
        let trackers = TrackerURLs(baseURL: baseURL)
        func fileURLs(_ file: VideoFile) -> LocalFileLinks {
            LocalFileLinks(file, videoUUID: uuid, videoName: video.name, baseURL: baseURL, trackers: trackers)
        }
        var links: [JSONValue] = [["type": "Link", "mediaType": "text/html", "href": .string(id)]]
        let web = files.filter { $0.kind == .webVideo }.sorted { $0.resolution > $1.resolution }
        for file in web { links += fileLinks(fileURLs(file), file: file, format: "web-video") }
        let hls = files.filter { $0.kind == .hls }.sorted { $0.resolution > $1.resolution }
        if !hls.isEmpty {
            let media = MediaURLs(baseURL: baseURL)
            let master = media.masterPlaylist(videoUUID: uuid)
            var tags: [JSONValue] = (0..<hls.count).map { index in
                let hash = HLSSwarm.infoHash(masterPlaylistURL: master, variantIndex: index)
                return ["type": "Infohash", "name": .string(Digest.hex(hash))]
            }
            tags.append(
                [
                    "type": "Link", "name": "sha256", "mediaType": "application/json",
                    "href": .string(media.segmentsSha256(videoUUID: uuid)),
                ])
            for file in hls { tags += fileLinks(fileURLs(file), file: file, format: "fragmented") }
            links.append(
                [
                    "type": "Link", "mediaType": "application/x-mpegURL", "href": .string(master),
                    "tag": .array(tags),
                ])
        }
        links.append(
            ["type": "Link", "name": "tracker-http", "rel": ["tracker", "http"], "href": .string(trackers.http)])
        links.append(
            [
                "type": "Link", "name": "tracker-websocket", "rel": ["tracker", "websocket"],
                "href": .string(trackers.webSocket),
            ])
        let published = video.state == .published
        var icon: [JSONValue] = []
        if published {
            icon = [
                [
                    "type": "Image", "url": .string("\(baseURL)/lazy-static/thumbnails/\(uuid).jpg"),
                    "mediaType": "image/jpeg", "width": 280, "height": 157,
                ],
                [
                    "type": "Image", "url": .string("\(baseURL)/lazy-static/previews/\(uuid).jpg"),
                    "mediaType": "image/jpeg", "width": 850, "height": 480,
                ],
            ]
        }
        func identified(_ id: Int?, _ names: [Int: String]) -> JSONValue {
            guard let id else { return .null }
            return ["identifier": .string(String(id)), "name": .string(names[id] ?? "Unknown")]
        }
        return [
            "@context": ActivityContext.video,
            "type": "Video", "id": .string(id), "uuid": .string(uuid), "name": .string(video.name),
            "duration": .string("PT\(video.duration)S"),
            "category": identified(video.category, VideoConstants.categories),
            "licence": identified(video.licence, VideoConstants.licences),
            "language": video.language.map {
                [
                    "identifier": .string($0),
                    "name": .string(VideoConstants.languages[$0] ?? $0),
                ]
            } ?? .null,
            "views": JSONValue(video.views), "sensitive": .bool(video.nsfw),
            "waitTranscoding": .bool(video.waitTranscoding), "state": JSONValue(video.state.rawValue),
            "commentsEnabled": .bool(video.commentsPolicy != .disabled),
            "commentsPolicy": JSONValue(video.commentsPolicy.rawValue), "canReply": .null,
            "downloadEnabled": .bool(video.downloadEnabled),
            "published": .string(isoDate(video.publishedAt)),
            "originallyPublishedAt": video.originallyPublishedAt.map { .string(isoDate($0)) } ?? .null,
            "updated": .string(isoDate(video.updatedAt)), "uploadDate": .string(isoDate(video.createdAt)),
            "tag": .array(video.tags.map { ["type": "Hashtag", "name": .string($0)] }),
            "mediaType": "text/markdown", "content": JSONValue(video.description), "support": JSONValue(video.support),
            "subtitleLanguage": [], "icon": .array(icon), "preview": [],
            "url": .array(links),
            "likes": .string("\(id)/likes"), "dislikes": .string("\(id)/dislikes"),
            "shares": .string("\(id)/announces"), "comments": .string("\(id)/comments"),
            "hasParts": .string("\(id)/chapters"),
            "attributedTo": [
                ["type": "Person", "id": .string(urls.account(value.account.name))],
                ["type": "Group", "id": .string(channelURL)],
            ],
            "isLiveBroadcast": false,
            // Unlisted videos are addressed to followers, with the public only in `cc` (PeerTube's audience rule).
            "to": video.privacy == .unlisted
                ? [.string("\(channelURL)/followers")] : [.string(ActivityContext.publicAudience)],
            "cc": video.privacy == .unlisted
                ? [.string(ActivityContext.publicAudience)] : [.string("\(channelURL)/followers")],
        ]
    }

    /// A file's Links: the file itself, its metadata, and its torrent and magnet when it has one.
    static func fileLinks(_ urls: LocalFileLinks, file: VideoFile, format: String) -> [JSONValue] {
        let size: [String: JSONValue] = [
            "height": JSONValue(file.height), "width": JSONValue(file.width), "fps": .number(file.fps),
        ]
        func link(_ fields: [String: JSONValue]) -> JSONValue { .object(fields.merging(size) { first, _ in first }) }
        var links: [JSONValue] = [
            link([
                "type": "Link", "mediaType": "video/mp4", "href": .string(urls.file), "size": JSONValue(file.size),
                "attachment": [
                    ["type": "PropertyValue", "name": "ffprobe_codec_type", "value": "video"],
                    ["type": "PropertyValue", "name": "peertube_format_flag", "value": .string(format)],
                ],
            ])
        ]
        if let torrent = urls.torrent, let magnet = urls.magnet {
            links.append(link(["type": "Link", "mediaType": "application/x-bittorrent", "href": .string(torrent)]))
            links.append(
                link([
                    "type": "Link", "mediaType": "application/x-bittorrent;x-scheme-handler/magnet",
                    "href": .string(magnet),
                ]))
        }
        return links
    }
}
