import Foundation

/// The network edges (issue 14): which proxies are believed, how long a connection may idle or take to send its
/// headers, how many connections are open at once, and the per-address rate limits.
public struct NetworkSettings: Sendable, Equatable {
    /// `webserver.trusted_proxies`: only connections from these have their `X-Forwarded-For`/`-Proto` believed.
    public var trustedProxies: [AddressRange]
    /// Seconds an HTTP connection may stay open with no request in flight, which is also the time a client has to
    /// send a request's line and headers.
    public var idleTimeout: Int
    public var maxConnections: Int
    public var maxConnectionsPerIP: Int
    public var rateLimits: RateLimits

    public init(
        trustedProxies: [AddressRange] = [], idleTimeout: Int = 30, maxConnections: Int = 4096,
        maxConnectionsPerIP: Int = 256, rateLimits: RateLimits = RateLimits()
    ) {
        self.trustedProxies = trustedProxies
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
        self.maxConnectionsPerIP = maxConnectionsPerIP
        self.rateLimits = rateLimits
    }

    /// Whether `address` (as the socket layer prints it) is a trusted proxy.
    public func isTrustedProxy(_ address: String) -> Bool {
        guard !trustedProxies.isEmpty, let peer = PeerAddress(address) else { return false }
        return trustedProxies.contains { $0.contains(peer) }
    }

    /// The client's address: the connection's, or behind trusted proxies the last `X-Forwarded-For` entry that is
    /// not one of them (entries are appended by each proxy, so only the ones after the first untrusted hop are the
    /// proxies' own; anything before it the client could have written). At most 32 entries are read.
    public func clientAddress(connection: String, forwardedFor: String?) -> String {
        guard let forwardedFor, isTrustedProxy(connection) else { return connection }
        let hops = forwardedFor.split(separator: ",").suffix(32).reversed()
        for hop in hops {
            let text = hop.trimmingCharacters(in: .whitespaces)
            guard let address = PeerAddress(text) else { return connection }
            if !isTrustedProxy(address.description) { return address.description }
        }
        return connection
    }
}

/// Requests per address per window (PeerTube's `rates_limit`).
public struct RateLimits: Sendable, Equatable {
    public struct Rate: Sendable, Equatable {
        public var max: Int
        /// Seconds.
        public var window: Int

        public init(max: Int, window: Int) {
            self.max = max
            self.window = window
        }
    }

    public var login: Rate
    public var signup: Rate
    public var inbox: Rate
    public var uploads: Rate

    public init(
        login: Rate = Rate(max: 15, window: 300), signup: Rate = Rate(max: 2, window: 300),
        inbox: Rate = Rate(max: 500, window: 10), uploads: Rate = Rate(max: 60, window: 10)
    ) {
        self.login = login
        self.signup = signup
        self.inbox = inbox
        self.uploads = uploads
    }
}

/// An address or a CIDR range (`203.0.113.7`, `10.0.0.0/8`, `::1`, `2001:db8::/32`).
public struct AddressRange: Sendable, Equatable, CustomStringConvertible {
    public let base: PeerAddress
    public let prefixLength: Int

    public init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let base = PeerAddress(parts[0]) else { return nil }
        let bits = base.bytes.count * 8
        if parts.count == 2 {
            guard parts[1].count <= 3, let length = Int(parts[1]), (0...bits).contains(length) else { return nil }
            prefixLength = length
        } else {
            prefixLength = bits
        }
        self.base = base
    }

    public func contains(_ address: PeerAddress) -> Bool {
        guard address.bytes.count == base.bytes.count else { return false }
        var remaining = prefixLength
        for (mine, theirs) in zip(base.bytes, address.bytes) where remaining > 0 {
            let mask: UInt8 = remaining >= 8 ? 0xFF : ~(0xFF >> UInt8(remaining))
            guard mine & mask == theirs & mask else { return false }
            remaining -= 8
        }
        return true
    }

    public var description: String { "\(base)/\(prefixLength)" }
}
