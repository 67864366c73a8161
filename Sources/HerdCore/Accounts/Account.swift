import Foundation

/// The public identity of a user (an ActivityPub `Person`), or of a remote actor when `host` is set.
public struct Account: Sendable, Equatable {
    public var id: Int64
    /// The owning local user; nil for remote accounts.
    public var userId: Int64?
    /// The actor's preferred username, unique per host.
    public var name: String
    public var displayName: String
    public var description: String?
    /// nil for local accounts.
    public var host: String?
    /// The ActivityPub actor URL of a remote account; nil for local ones (theirs is derived from the name).
    public var url: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: Int64, userId: Int64?, name: String, displayName: String, description: String? = nil,
        host: String? = nil, url: String? = nil, createdAt: Date, updatedAt: Date
    ) {
        self.url = url
        self.id = id
        self.userId = userId
        self.name = name
        self.displayName = displayName
        self.description = description
        self.host = host
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public var isLocal: Bool { host == nil }
}

/// Persistence of accounts.
public protocol AccountStore: Sendable {
    func find(id: Int64) async throws -> Account?
    /// Finds an account by `name` (local) or `name@host`.
    func find(handle: Handle) async throws -> Account?
    func find(userId: Int64) async throws -> Account?
    func update(_ account: Account) async throws
    /// Creates a local account with no user (the instance actor), with its keys; returns the existing one when the
    /// name is already an account.
    func createSystemAccount(name: String, displayName: String, keys: ActorKeyPair) async throws -> Account
}
