import Foundation

/// An activity as received in an inbox, checked for the fields every verb needs: an `id`, a `type` and an `actor`
/// (URLs), and an `object` (a URL or an embedded object).
public struct IncomingActivity: Sendable {
    public var id: String
    public var type: ActivityType
    public var actor: String
    public var object: JSONValue
    public var raw: JSONValue

    public enum Invalid: Error, Equatable, CustomStringConvertible {
        case notAnObject
        case missing(String)
        case notHTTP(String)

        public var description: String {
            switch self {
            case .notAnObject: "the activity is not a JSON object"
            case .missing(let field): "the activity has no \(field)"
            case .notHTTP(let field): "the activity's \(field) is not an http(s) URL"
            }
        }
    }

    public init(_ json: JSONValue) throws(Invalid) {
        guard json.object != nil else { throw .notAnObject }
        guard let id = json["id"]?.string else { throw .missing("id") }
        guard let type = json.type else { throw .missing("type") }
        guard let actor = json["actor"]?.id else { throw .missing("actor") }
        guard let object = json["object"], object != .null else { throw .missing("object") }
        for (field, value) in [("id", id), ("actor", actor)] where !Self.isHTTP(value) { throw .notHTTP(field) }
        self.id = id
        self.type = ActivityType(type)
        self.actor = actor
        self.object = object
        self.raw = json
    }

    /// The longest URL taken from a remote document (ids, actors, objects), in UTF-8 bytes.
    public static let maxURLLength = 2048

    public static func isHTTP(_ url: String) -> Bool {
        url.utf8.count <= maxURLLength && (url.hasPrefix("https://") || url.hasPrefix("http://"))
            && URLParts(url) != nil
    }
}

/// The scheme, host (with port) and path of an http(s) URL, enough to compare origins.
public struct URLParts: Sendable, Equatable {
    public var scheme: String
    /// `host` or `host:port`, lowercased.
    public var authority: String
    public var path: String

    public init?(_ url: String) {
        guard let separator = url.range(of: "://") else { return nil }
        let scheme = url[..<separator.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        let rest = url[separator.upperBound...]
        let end = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<end].lowercased()
        guard !authority.isEmpty, !authority.contains("@"), !authority.contains(" ") else { return nil }
        self.scheme = scheme
        self.authority = authority
        let pathEnd = rest[end...].firstIndex { $0 == "?" || $0 == "#" } ?? rest.endIndex
        self.path = rest[end..<pathEnd].isEmpty ? "/" : String(rest[end..<pathEnd])
    }

    /// The host without its port.
    public var host: String {
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            return String(authority[...close])
        }
        return authority.split(separator: ":").first.map(String.init) ?? authority
    }

    /// The path with the query, as an HTTP request target.
    public static func target(of url: String) -> String? {
        guard let separator = url.range(of: "://") else { return nil }
        let rest = url[separator.upperBound...]
        guard let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) else { return "/" }
        let target = rest[slash...].split(separator: "#", maxSplits: 1).first.map(String.init) ?? "/"
        return target.hasPrefix("?") ? "/" + target : target
    }
}
