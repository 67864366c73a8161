import Foundation

/// PeerTube's URL patterns for actors and their collections, from the instance's base URL (`https://host`).
public struct ActorURLs: Sendable, Equatable {
    public let baseURL: String

    public init(baseURL: String) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    }

    /// The instance actor's account name (PeerTube's `SERVER_ACTOR_NAME`).
    public static let instanceActorName = "peertube"

    public func account(_ name: String) -> String { "\(baseURL)/accounts/\(name)" }
    public func channel(_ name: String) -> String { "\(baseURL)/video-channels/\(name)" }
    public var instanceActor: String { account(Self.instanceActorName) }
    public var sharedInbox: String { "\(baseURL)/inbox" }

    public func url(kind: ActorKind, name: String) -> String {
        kind == .group ? channel(name) : account(name)
    }

    /// The host as it appears in handles (`name@host`): the base URL without its scheme.
    public var host: String {
        guard let range = baseURL.range(of: "://") else { return baseURL }
        return String(baseURL[range.upperBound...])
    }
}
