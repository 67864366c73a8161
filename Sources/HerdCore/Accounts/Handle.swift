/// An actor handle: `name` for a local actor, `name@host` for any actor.
public struct Handle: Sendable, Equatable, CustomStringConvertible {
    public var name: String
    public var host: String?

    public init(name: String, host: String? = nil) {
        self.name = name
        self.host = host
    }

    /// Parses `name`, `name@host` or `@name@host`. `localHost` maps to a local handle.
    public init?(_ text: String, localHost: String) {
        var text = Substring(text)
        if text.hasPrefix("@") { text = text.dropFirst() }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty else { return nil }
        self.name = String(parts[0])
        if parts.count == 2 {
            guard !parts[1].isEmpty else { return nil }
            let host = parts[1].lowercased()
            self.host = host == localHost.lowercased() ? nil : host
        } else {
            self.host = nil
        }
    }

    public var description: String { host.map { "\(name)@\($0)" } ?? name }
}
