import Foundation

/// A video channel (an ActivityPub `Group`) owned by an account.
public struct Channel: Sendable, Equatable {
    public var id: Int64
    public var accountId: Int64
    /// The actor's preferred username, unique per host (across accounts and channels).
    public var name: String
    public var displayName: String
    public var description: String?
    public var support: String?
    public var host: String?
    /// The ActivityPub actor URL of a remote channel; nil for local ones.
    public var url: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: Int64, accountId: Int64, name: String, displayName: String, description: String? = nil,
        support: String? = nil, host: String? = nil, url: String? = nil, createdAt: Date, updatedAt: Date
    ) {
        self.url = url
        self.id = id
        self.accountId = accountId
        self.name = name
        self.displayName = displayName
        self.description = description
        self.support = support
        self.host = host
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public var isLocal: Bool { host == nil }
}

/// What is needed to create a channel.
public struct NewChannel: Sendable {
    public var accountId: Int64
    public var name: String
    public var displayName: String
    public var description: String?
    public var support: String?
    /// The channel actor's key pair, stored with it.
    public var keys: ActorKeyPair?

    public init(
        accountId: Int64, name: String, displayName: String, description: String? = nil, support: String? = nil,
        keys: ActorKeyPair? = nil
    ) {
        self.keys = keys
        self.accountId = accountId
        self.name = name
        self.displayName = displayName
        self.description = description
        self.support = support
    }
}

/// A channel with its owner, as lists and detail views show it.
public struct ChannelWithOwner: Sendable, Equatable {
    public var channel: Channel
    public var owner: Account

    public init(channel: Channel, owner: Account) {
        self.channel = channel
        self.owner = owner
    }
}

/// Persistence of channels.
public protocol ChannelStore: Sendable {
    /// Throws `.conflict` when the name is taken by a local account or channel.
    func create(_ channel: NewChannel) async throws -> Channel
    func find(id: Int64) async throws -> ChannelWithOwner?
    func find(handle: Handle) async throws -> ChannelWithOwner?
    func list(accountId: Int64?, pagination: Pagination, sort: ChannelSort) async throws -> Page<ChannelWithOwner>
    func update(_ channel: Channel) async throws
    /// Deletes the channel; its videos must have been removed first.
    func delete(id: Int64) async throws
    func count(accountId: Int64) async throws -> Int
}

/// Sort orders accepted for channel lists.
public enum ChannelSort: String, Sendable, CaseIterable {
    case createdAt, name
    case createdAtDesc = "-createdAt"
    case nameDesc = "-name"

    public init(query: String?) throws {
        guard let query else {
            self = .createdAtDesc
            return
        }
        guard let sort = ChannelSort(rawValue: query) else {
            throw HerdError.badRequest(
                "sort must be one of \(ChannelSort.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = sort
    }
}
