import HerdCore

/// Who this instance federates with (`federation.allowlist` and `federation.blocklist`): hosts given as `host` or
/// `host:port` (a bare host covers every port), and single actors by URL on the blocklist.
public struct FederationPolicy: Sendable, Equatable {
    public var allowlist: [String]
    public var blocklist: [String]

    public init(allowlist: [String] = [], blocklist: [String] = []) {
        self.allowlist = allowlist.map { $0.lowercased() }
        self.blocklist = blocklist.map { $0.lowercased() }
    }

    public init(_ settings: FederationSettings) {
        self.init(allowlist: settings.allowlist, blocklist: settings.blocklist)
    }

    /// Whether an actor, object or inbox URL may be fetched from, delivered to, or accepted from.
    public func allows(url: String) -> Bool {
        guard let parts = URLParts(url) else { return false }
        if blocklist.contains(url.lowercased()) { return false }
        if blocklist.contains(where: { Self.matches($0, parts) }) { return false }
        return allowlist.isEmpty || allowlist.contains { Self.matches($0, parts) }
    }

    /// Whether a host (`host[:port]`) may be followed.
    public func allows(host: String) -> Bool { allows(url: "https://\(host)/") }

    static func matches(_ entry: String, _ parts: URLParts) -> Bool {
        entry.contains("://") ? false : entry == parts.authority || entry == parts.host
    }
}
