import Foundation
import HerdCore

/// A remote PeerTube-shaped `Video` object (`video-activity-pub-format.ts`), read and checked: what a receiving
/// instance stores to list, search and play a video from its origin.
public struct VideoObject: Sendable, Equatable {
    public var url: String
    public var uuid: UUID
    public var name: String
    public var content: String?
    public var support: String?
    /// Seconds.
    public var duration: Int
    public var category: Int?
    public var licence: Int?
    public var language: String?
    public var sensitive: Bool
    public var commentsPolicy: CommentsPolicy
    public var downloadEnabled: Bool
    public var tags: [String]
    public var views: Int
    /// `Public` in `to` lists it; in `cc` only, it is unlisted.
    public var privacy: VideoPrivacy
    public var published: Date
    public var updated: Date?
    public var originallyPublishedAt: Date?
    /// The owning account (`Person`) and channel (`Group`).
    public var accountURL: String
    public var channelURL: String
    public var source: RemoteVideoSource

    public enum Invalid: Error, Equatable, CustomStringConvertible {
        case notAVideo
        case missing(String)
        case foreignURL(String)

        public var description: String {
            switch self {
            case .notAVideo: "the object is not a Video"
            case .missing(let field): "the video has no usable \(field)"
            case .foreignURL(let field): "the video's \(field) is not on the video's host"
            }
        }
    }

    /// Reads `json`. Its id, owners and media must all be on `origin` (the host of the actor that sent or
    /// served it): an instance cannot publish videos for another.
    public init(_ json: JSONValue, origin: String) throws(Invalid) {
        guard json.type == "Video" else { throw .notAVideo }
        guard let url = json["id"]?.string, let parts = URLParts(url) else { throw .missing("id") }
        guard parts.authority == origin.lowercased() else { throw .foreignURL("id") }
        guard let uuidText = json["uuid"]?.string, let uuid = UUID(uuidString: uuidText) else {
            throw .missing("uuid")
        }
        guard let name = json["name"]?.string, !name.isEmpty else { throw .missing("name") }
        guard let published = json["published"]?.string.flatMap(ISODate.parse) else { throw .missing("published") }
        var accountURL: String?
        var channelURL: String?
        for owner in json["attributedTo"]?.list ?? [] {
            guard let id = owner.id else { continue }
            guard URLParts(id)?.authority == parts.authority else { throw .foreignURL("attributedTo") }
            switch owner.type ?? "" {
            case "Person": accountURL = accountURL ?? id
            case "Group": channelURL = channelURL ?? id
            default: break
            }
        }
        guard let channelURL else { throw .missing("attributedTo Group (channel)") }
        self.url = url
        self.uuid = uuid
        self.name = String(name.prefix(255))
        // PeerTube's limits: description 10,000 characters, support 1,000, 5 tags of 2 to 30.
        self.content = json["content"]?.string.map { String($0.prefix(Self.maxDescription)) }
        self.support = json["support"]?.string.map { String($0.prefix(1000)) }
        self.duration = Self.seconds(json["duration"]?.string) ?? 0
        self.category = json["category"]?["identifier"]?.string.flatMap { $0.count <= 9 ? Int($0) : nil }
        self.licence = json["licence"]?["identifier"]?.string.flatMap { $0.count <= 9 ? Int($0) : nil }
        self.language = json["language"]?["identifier"]?.string.flatMap { $0.count <= 16 ? $0 : nil }
        self.sensitive = json["sensitive"]?.bool ?? false
        if let policy = json["commentsPolicy"]?.integer(in: 0...9).flatMap(CommentsPolicy.init(rawValue:)) {
            self.commentsPolicy = policy
        } else {
            self.commentsPolicy = json["commentsEnabled"]?.bool == false ? .disabled : .enabled
        }
        self.downloadEnabled = json["downloadEnabled"]?.bool ?? true
        self.tags = Array(
            (json["tag"]?.list ?? []).prefix(Self.maxLinks).compactMap { tag in
                tag.type == "Hashtag" ? tag["name"]?.string.flatMap { $0.count <= 30 ? $0 : nil } : nil
            }.prefix(5))
        self.views = json["views"]?.count() ?? 0
        let audience = Set((json["to"]?.list ?? []).compactMap(\.string))
        // The public collection may also be written compacted (`as:Public`, `Public`).
        let isPublic = !audience.isDisjoint(with: [ActivityContext.publicAudience, "as:Public", "Public"])
        self.privacy = isPublic ? .public : .unlisted
        self.published = published
        self.updated = json["updated"]?.string.flatMap(ISODate.parse)
        self.originallyPublishedAt = json["originallyPublishedAt"]?.string.flatMap(ISODate.parse)
        self.accountURL = accountURL ?? channelURL
        self.channelURL = channelURL
        self.source = try Self.source(json, url: url, origin: parts.authority)
    }

    /// The longest description kept, in characters.
    public static let maxDescription = 10_000
    /// At most this many entries of `url[]`, of a playlist's `tag`s and of `tag` are read.
    public static let maxLinks = 200
    /// The largest width or height believed, in pixels.
    public static let maxDimension = 16_384
    /// The longest duration believed: ten days, in seconds.
    public static let maxDuration = 864_000

    /// `PT123S` (and `PT1H2M3S`) as seconds; nil for anything else, negative, or over `maxDuration`.
    static func seconds(_ text: String?) -> Int? {
        guard let text, text.hasPrefix("PT"), text.utf8.count <= 32 else { return nil }
        var total = 0.0
        var number = ""
        for character in text.dropFirst(2) {
            switch character {
            case "H", "M", "S":
                guard let value = Double(number), value.isFinite, value >= 0 else { return nil }
                total += value * (character == "H" ? 3600 : character == "M" ? 60 : 1)
                number = ""
            default: number.append(character)
            }
        }
        guard total <= Double(maxDuration) else { return nil }
        return Int(total.rounded(.down))
    }

    /// The media links of `url[]`: web MP4s at the top, the HLS playlist with its fragmented files in its `tag`s.
    static func source(_ json: JSONValue, url: String, origin: String) throws(Invalid) -> RemoteVideoSource {
        func onOrigin(_ href: String?) -> String? {
            guard let href, let parts = URLParts(href), parts.authority == origin else { return nil }
            return href
        }
        var source = RemoteVideoSource(url: url)
        let icons = (json["icon"]?.list ?? []).compactMap { onOrigin($0["url"]?.id) }
        source.thumbnailURL = icons.first
        source.previewURL = icons.dropFirst().first
        let links = Array((json["url"]?.list ?? []).prefix(maxLinks))
        source.webFiles = files(in: links, origin: origin)
        if let playlist = links.first(where: { $0["mediaType"]?.string == "application/x-mpegURL" }),
            let href = onOrigin(playlist["href"]?.string)
        {
            let tags = Array((playlist["tag"]?.list ?? []).prefix(maxLinks))
            source.playlistURL = href
            source.segmentsSha256URL = tags.first { $0["name"]?.string == "sha256" }.flatMap {
                onOrigin($0["href"]?.string)
            }
            source.swarmInfoHashes = tags.compactMap { $0.type == "Infohash" ? $0["name"]?.string : nil }
            source.hlsFiles = files(in: tags, origin: origin)
        }
        source.trackers = links.compactMap { link in
            (link["rel"]?.list ?? []).contains(.string("tracker")) ? link["href"]?.string : nil
        }
        guard !source.webFiles.isEmpty || source.playlistURL != nil else { throw .missing("url (no playable file)") }
        return source
    }

    /// `video/mp4` Links (with their torrent and magnet Links of the same height and fps), highest first.
    static func files(in links: [JSONValue], origin: String) -> [RemoteVideoSource.File] {
        var files: [RemoteVideoSource.File] = []
        for link in links where link["mediaType"]?.string == "video/mp4" || link["mediaType"]?.string == "audio/mp4" {
            guard let href = link["href"]?.string, URLParts(href)?.authority == origin else { continue }
            let height = link["height"]?.integer(in: 0...Self.maxDimension) ?? 0
            let fps = link["fps"]?.finite(in: 0...1000) ?? 0
            func sibling(_ mediaType: String) -> String? {
                links.first {
                    $0["mediaType"]?.string == mediaType && $0["height"]?.integer(in: 0...Self.maxDimension) == height
                        && ($0["fps"]?.finite(in: 0...1000) ?? fps) == fps
                }?["href"]?.string
            }
            let resolution = link["mediaType"]?.string == "audio/mp4" ? 0 : height
            files.append(
                RemoteVideoSource.File(
                    resolution: resolution, width: link["width"]?.integer(in: 0...Self.maxDimension) ?? 0,
                    height: height,
                    fps: fps, size: Int64(link["size"]?.count() ?? 0), fileURL: href,
                    torrentURL: sibling("application/x-bittorrent").flatMap {
                        URLParts($0)?.authority == origin ? $0 : nil
                    },
                    magnetURI: sibling("application/x-bittorrent;x-scheme-handler/magnet")))
        }
        return files.sorted { $0.resolution > $1.resolution }
    }
}

/// ISO 8601 dates as ActivityPub servers write them, with or without fractional seconds.
public enum ISODate {
    /// Value-type parsers (no formatter objects built per call: every inbox activity has dates).
    static let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    static let whole = Date.ISO8601FormatStyle()

    public static func parse(_ text: String) -> Date? {
        guard text.utf8.count <= 64 else { return nil }
        if text.count == 10 { return parse(text + "T00:00:00Z") }  // a date alone: its first instant, UTC
        return (try? fractional.parse(text)) ?? (try? whole.parse(text))
    }
}
