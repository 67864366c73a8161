import Foundation
import HerdCore
import HerdCrypto
import HerdFederation

/// Local ActivityPub actors: their keys (RSA-2048, made with OpenSSL when the account or channel is created), the
/// instance actor (`/accounts/peertube`), and their documents.
public struct LocalActors: Sendable {
    let stores: Stores
    let urls: ActorURLs
    let instanceName: String

    public init(stores: Stores, baseURL: String, instanceName: String) {
        self.stores = stores
        self.urls = ActorURLs(baseURL: baseURL)
        self.instanceName = instanceName
    }

    /// A new RSA-2048 key pair.
    public static func makeKeys() throws -> ActorKeyPair {
        let key = try RSAKey.generate()
        guard let privateKeyPEM = key.privateKeyPEM else { throw HerdError.internalError("no private key PEM") }
        return ActorKeyPair(publicKeyPEM: key.publicKeyPEM, privateKeyPEM: privateKeyPEM)
    }

    /// At start: creates the instance actor if missing, and gives keys to local actors that have none (accounts and
    /// channels made before federation, or whose creation was interrupted). Returns how many got keys.
    @discardableResult
    public func prepare() async throws -> Int {
        if try await stores.accounts.find(handle: Handle(name: ActorURLs.instanceActorName)) == nil {
            _ = try await stores.accounts.createSystemAccount(
                name: ActorURLs.instanceActorName, displayName: instanceName, keys: try Self.makeKeys())
        }
        let missing = try await stores.actorKeys.actorsWithoutKeys()
        for actor in missing { _ = try await stores.actorKeys.setKeysIfMissing(try Self.makeKeys(), for: actor) }
        return missing.count
    }

    /// The instance actor's account and keys (it signs fetches and follows instances).
    public func instanceActor() async throws -> (account: Account, keys: ActorKeyPair) {
        guard let account = try await stores.accounts.find(handle: Handle(name: ActorURLs.instanceActorName)) else {
            throw HerdError.internalError("the instance actor is missing")
        }
        return (account, try await keys(for: .account(account.id)))
    }

    /// An actor's keys, made now if it has none.
    public func keys(for actor: LocalActor) async throws -> ActorKeyPair {
        if let keys = try await stores.actorKeys.keys(for: actor) { return keys }
        return try await stores.actorKeys.setKeysIfMissing(try Self.makeKeys(), for: actor)
    }

    public func document(for account: Account) async throws -> ActorDocument {
        let keys = try await keys(for: .account(account.id))
        let isInstance = account.userId == nil && account.name == ActorURLs.instanceActorName
        return ActorDocument(
            kind: isInstance ? .application : .person, url: urls.account(account.name),
            preferredUsername: account.name, name: account.displayName, summary: account.description,
            publicKeyPEM: keys.publicKeyPEM, published: isoDate(account.createdAt),
            sharedInbox: urls.sharedInbox)
    }

    public func document(for channel: ChannelWithOwner) async throws -> ActorDocument {
        let keys = try await keys(for: .channel(channel.channel.id))
        return ActorDocument(
            kind: .group, url: urls.channel(channel.channel.name), preferredUsername: channel.channel.name,
            name: channel.channel.displayName, summary: channel.channel.description, support: channel.channel.support,
            publicKeyPEM: keys.publicKeyPEM, published: isoDate(channel.channel.createdAt),
            owner: urls.account(channel.owner.name), sharedInbox: urls.sharedInbox)
    }
}
