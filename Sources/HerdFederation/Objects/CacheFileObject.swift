import Foundation

/// PeerTube's `CacheFile` (`video-redundancy.ts`): a mirror's copy of a video's HLS playlist, announced to the
/// origin with `Create` and renewed with `Update` before `expires`. Its id and its `url` are on the mirror.
public struct CacheFileObject: Sendable, Equatable {
    /// `https://mirror/redundancy/streaming-playlists/hls/<uuid>`.
    public var id: String
    /// The video's URL on its origin.
    public var object: String
    public var expires: Date?
    /// Where the mirror serves the copy: `https://mirror/static/redundancy/hls/<uuid>`.
    public var href: String

    public enum Invalid: Error, Equatable, CustomStringConvertible {
        case notACacheFile
        case missing(String)
        case foreignURL(String)

        public var description: String {
            switch self {
            case .notACacheFile: "the object is not a CacheFile"
            case .missing(let field): "the CacheFile has no usable \(field)"
            case .foreignURL(let field): "the CacheFile's \(field) is not on the mirror's host"
            }
        }
    }

    public init(id: String, object: String, expires: Date?, href: String) {
        self.id = id
        self.object = object
        self.expires = expires
        self.href = href
    }

    /// Reads a CacheFile sent by an actor on `mirror` (`host[:port]`): the copy must be the mirror's own.
    public init(_ json: JSONValue, mirror: String) throws(Invalid) {
        guard json.type == "CacheFile" else { throw .notACacheFile }
        guard let id = json["id"]?.string, let idParts = URLParts(id) else { throw .missing("id") }
        guard idParts.authority == mirror.lowercased() else { throw .foreignURL("id") }
        guard let object = json["object"]?.id, IncomingActivity.isHTTP(object) else { throw .missing("object") }
        guard let href = json["url"]?["href"]?.string, let hrefParts = URLParts(href) else { throw .missing("url") }
        guard hrefParts.authority == mirror.lowercased() else { throw .foreignURL("url") }
        self.init(id: id, object: object, expires: json["expires"]?.string.flatMap(ISODate.parse), href: href)
    }

    /// The object as sent, `expires` as ISO 8601 (or null: never).
    public func json(formatDate: (Date) -> String) -> JSONValue {
        [
            "id": .string(id), "type": "CacheFile", "object": .string(object),
            "expires": expires.map { .string(formatDate($0)) } ?? .null,
            "url": ["type": "Link", "mediaType": "application/x-mpegURL", "href": .string(href)],
        ]
    }
}
