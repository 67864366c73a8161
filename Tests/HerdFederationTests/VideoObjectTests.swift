import Foundation
import HerdCore
import HerdFederation
import Testing

/// Reading remote `Video` objects in PeerTube's shape (`video-activity-pub-format.ts`).
@Suite("Remote Video objects")
struct VideoObjectTests {
    static let origin = "peertube.example:9000"
    static let base = "https://\(origin)"
    static let uuid = "997111d4-e8d8-4f45-99d3-857905785d05"

    /// A PeerTube-shaped Video: a web MP4 rung with torrent and magnet, an HLS playlist with two fragmented rungs.
    static func video(_ change: (inout [String: JSONValue]) -> Void = { _ in }) -> JSONValue {
        let id = "\(base)/videos/watch/\(uuid)"
        func file(_ height: Int, _ href: String, torrent: String) -> [JSONValue] {
            [
                [
                    "type": "Link", "mediaType": "video/mp4", "href": .string(href), "height": JSONValue(height),
                    "width": JSONValue(height * 16 / 9), "size": 123_456, "fps": 30,
                ],
                [
                    "type": "Link", "rel": ["metadata", "video/mp4"], "mediaType": "application/json",
                    "href": .string("\(base)/api/v1/videos/\(uuid)/metadata/1"), "height": JSONValue(height), "fps": 30,
                ],
                [
                    "type": "Link", "mediaType": "application/x-bittorrent", "href": .string(torrent),
                    "height": JSONValue(height), "fps": 30,
                ],
                [
                    "type": "Link", "mediaType": "application/x-bittorrent;x-scheme-handler/magnet",
                    "href": .string("magnet:?xt=urn:btih:\(height)"), "height": JSONValue(height), "fps": 30,
                ],
            ]
        }
        var fields: [String: JSONValue] = [
            "type": "Video", "id": .string(id), "uuid": .string(uuid), "name": "Big Buck Bunny",
            "duration": "PT1M5S", "category": ["identifier": "1", "name": "Music"], "licence": .null,
            "language": ["identifier": "en", "name": "English"], "views": 12, "sensitive": false,
            "commentsPolicy": 1, "downloadEnabled": true, "published": "2024-09-19T10:00:00.000Z",
            "updated": "2024-09-19T10:05:00Z", "originallyPublishedAt": .null,
            "tag": [["type": "Hashtag", "name": "animation"], ["type": "Hashtag", "name": "rabbit"]],
            "mediaType": "text/markdown", "content": "A **big** rabbit.", "support": .null,
            "icon": [
                ["type": "Image", "url": .string("\(base)/lazy-static/thumbnails/t.jpg"), "mediaType": "image/jpeg"],
                ["type": "Image", "url": .string("\(base)/lazy-static/previews/p.jpg"), "mediaType": "image/jpeg"],
            ],
            "url": .array(
                [["type": "Link", "mediaType": "text/html", "href": .string(id)]]
                    + file(720, "\(base)/static/web-videos/\(uuid)-720.mp4", torrent: "\(base)/t/720.torrent")
                    + [
                        [
                            "type": "Link", "mediaType": "application/x-mpegURL",
                            "href": .string("\(base)/static/streaming-playlists/hls/\(uuid)/master.m3u8"),
                            "tag": .array(
                                [
                                    ["type": "Infohash", "name": "aa"], ["type": "Infohash", "name": "bb"],
                                    [
                                        "type": "Link", "name": "sha256", "mediaType": "application/json",
                                        "href": .string("\(base)/static/streaming-playlists/hls/\(uuid)/sha.json"),
                                    ],
                                ]
                                    + file(
                                        240, "\(base)/static/streaming-playlists/hls/\(uuid)/240-fragmented.mp4",
                                        torrent: "\(base)/t/240-hls.torrent")
                                    + file(
                                        480, "\(base)/static/streaming-playlists/hls/\(uuid)/480-fragmented.mp4",
                                        torrent: "\(base)/t/480-hls.torrent")),
                        ],
                        [
                            "type": "Link", "name": "tracker-http", "rel": ["tracker", "http"],
                            "href": .string("\(base)/tracker/announce"),
                        ],
                        [
                            "type": "Link", "name": "tracker-websocket", "rel": ["tracker", "websocket"],
                            "href": .string("wss://\(origin)/tracker/socket"),
                        ],
                    ]),
            "attributedTo": [
                ["type": "Person", "id": .string("\(base)/accounts/root")],
                ["type": "Group", "id": .string("\(base)/video-channels/root_channel")],
            ],
            "to": [.string(ActivityContext.publicAudience)],
            "cc": [.string("\(base)/video-channels/root_channel/followers")],
        ]
        change(&fields)
        return .object(fields)
    }

    @Test("a PeerTube Video: metadata, owners, web and HLS files with torrents, swarms, trackers, images")
    func reads() throws {
        let video = try VideoObject(Self.video(), origin: Self.origin)
        #expect(video.url == "\(Self.base)/videos/watch/\(Self.uuid)")
        #expect(video.uuid == UUID(uuidString: Self.uuid))
        #expect(video.name == "Big Buck Bunny" && video.duration == 65 && video.views == 12)
        #expect(video.category == 1 && video.licence == nil && video.language == "en")
        #expect(video.tags == ["animation", "rabbit"] && video.content == "A **big** rabbit.")
        #expect(video.privacy == .public && video.commentsPolicy == .enabled)
        #expect(video.published == ISODate.parse("2024-09-19T10:00:00Z"))
        #expect(video.accountURL == "\(Self.base)/accounts/root")
        #expect(video.channelURL == "\(Self.base)/video-channels/root_channel")
        let source = video.source
        #expect(source.webFiles.map(\.resolution) == [720])
        #expect(source.webFiles.first?.torrentURL == "\(Self.base)/t/720.torrent")
        #expect(source.webFiles.first?.magnetURI == "magnet:?xt=urn:btih:720")
        #expect(source.webFiles.first?.width == 1280 && source.webFiles.first?.size == 123_456)
        #expect(source.playlistURL == "\(Self.base)/static/streaming-playlists/hls/\(Self.uuid)/master.m3u8")
        #expect(source.segmentsSha256URL == "\(Self.base)/static/streaming-playlists/hls/\(Self.uuid)/sha.json")
        #expect(source.hlsFiles.map(\.resolution) == [480, 240])
        #expect(
            source.hlsFiles.map(\.torrentURL) == ["\(Self.base)/t/480-hls.torrent", "\(Self.base)/t/240-hls.torrent"])
        #expect(source.swarmInfoHashes == ["aa", "bb"])
        #expect(source.trackers == ["\(Self.base)/tracker/announce", "wss://\(Self.origin)/tracker/socket"])
        #expect(source.thumbnailURL == "\(Self.base)/lazy-static/thumbnails/t.jpg")
        #expect(source.previewURL == "\(Self.base)/lazy-static/previews/p.jpg")
    }

    @Test("audience, durations and policies: unlisted when Public is only in cc; comments disabled")
    func audience() throws {
        let unlisted = try VideoObject(
            Self.video {
                $0["to"] = ["https://x/followers"]
                $0["cc"] = [.string(ActivityContext.publicAudience)]
                $0["commentsPolicy"] = nil
                $0["commentsEnabled"] = false
                $0["duration"] = "PT1H2M3S"
            }, origin: Self.origin)
        #expect(unlisted.privacy == .unlisted && unlisted.commentsPolicy == .disabled && unlisted.duration == 3723)
        #expect(try VideoObject(Self.video { $0["to"] = ["as:Public"] }, origin: Self.origin).privacy == .public)
    }

    @Test("an instance cannot publish for another: foreign ids and owners are refused, foreign media dropped")
    func foreign() throws {
        #expect(throws: VideoObject.Invalid.foreignURL("id")) {
            try VideoObject(Self.video(), origin: "evil.example")
        }
        #expect(throws: VideoObject.Invalid.foreignURL("attributedTo")) {
            try VideoObject(
                Self.video { $0["attributedTo"] = [["type": "Group", "id": "https://evil.example/video-channels/x"]] },
                origin: Self.origin)
        }
        // Media links on another host are ignored; with none left the video is not playable.
        let foreignMedia = Self.video {
            $0["url"] = [
                ["type": "Link", "mediaType": "video/mp4", "href": "https://evil.example/a.mp4", "height": 720]
            ]
        }
        #expect(throws: VideoObject.Invalid.missing("url (no playable file)")) {
            try VideoObject(foreignMedia, origin: Self.origin)
        }
        #expect(throws: VideoObject.Invalid.notAVideo) {
            try VideoObject(Self.video { $0["type"] = "Note" }, origin: Self.origin)
        }
        #expect(throws: VideoObject.Invalid.missing("attributedTo Group (channel)")) {
            try VideoObject(Self.video { $0["attributedTo"] = [] }, origin: Self.origin)
        }
        #expect(throws: VideoObject.Invalid.missing("uuid")) {
            try VideoObject(Self.video { $0["uuid"] = "not-a-uuid" }, origin: Self.origin)
        }
        #expect(throws: VideoObject.Invalid.missing("published")) {
            try VideoObject(Self.video { $0["published"] = "yesterday" }, origin: Self.origin)
        }
    }

    @Test("Create, Update and Delete wrap and address objects as PeerTube does")
    func activities() throws {
        let video = Self.video { $0["@context"] = ActivityContext.video }
        let create = Activities.wrap(
            .create, id: "\(Self.base)/videos/watch/\(Self.uuid)/activity", actor: "\(Self.base)/accounts/root",
            object: video)
        #expect(create["@context"] == ActivityContext.video)
        #expect(create["object"]?["@context"] == nil)
        #expect(create["to"] == [.string(ActivityContext.publicAudience)])
        let parsed = try IncomingActivity(create)
        #expect(parsed.type == .create && parsed.object.type == "Video")
        let delete = Activities.delete(
            object: "\(Self.base)/videos/watch/\(Self.uuid)", actor: "\(Self.base)/accounts/root")
        #expect(delete["id"]?.string == "\(Self.base)/videos/watch/\(Self.uuid)/delete")
        #expect(try IncomingActivity(delete).object.id == "\(Self.base)/videos/watch/\(Self.uuid)")
    }
}

@Suite("ISO 8601 dates from other servers")
struct ISODateTests {
    @Test("with and without fractional seconds, time zones, a date alone; anything else is nil")
    func dates() {
        let reference = Date(timeIntervalSince1970: 1_540_215_262)  // 2018-10-22T13:34:22Z
        #expect(ISODate.parse("2018-10-22T13:34:22Z") == reference)
        #expect(ISODate.parse("2018-10-22T13:34:22.000Z") == reference)
        #expect(ISODate.parse("2018-10-22T15:34:22+02:00") == reference)
        #expect(ISODate.parse("2018-10-22") == Date(timeIntervalSince1970: 1_540_166_400))
        for bad in ["", "yesterday", "2018-13-40T99:99:99Z", String(repeating: "2", count: 10_000)] {
            #expect(ISODate.parse(bad) == nil)
        }
    }
}
