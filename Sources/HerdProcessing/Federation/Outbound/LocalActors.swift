import Foundation
import HerdCore
import HerdCrypto
import HerdFederation

/// Local ActivityPub actors: their keys (RSA-2048, made with OpenSSL when the account or channel is created), the
/// instance actor (`/accounts/peertube`), and their documents.
public final class LocalActors: Sendable {
    public let stores: Stores
    public let urls: ActorURLs
    public let instanceName: String
    public let makeKeys: ActorKeyMaker

    public init(stores: Stores, baseURL: String, instanceName: String, makeKeys: ActorKeyMaker) {
        self.stores = stores
        self.urls = ActorURLs(baseURL: baseURL)
        self.instanceName = instanceName
        self.makeKeys = makeKeys
    }

    /// At start: creates the instance actor if missing, and gives keys to local actors that have none (accounts and
    /// channels made before federation, or whose creation was interrupted). Returns how many got keys.
    @discardableResult
    public func prepare() async throws -> Int {
        if try await stores.accounts.find(handle: Handle(name: ActorURLs.instanceActorName)) == nil {
            do {
                _ = try await stores.accounts.createSystemAccount(
                    name: ActorURLs.instanceActorName, displayName: instanceName, keys: try makeKeys())
            } catch let error as HerdError where error.kind == .conflict {
                // Another node starting on the same fresh database made it first.
            }
        }
        let missing = try await stores.actorKeys.actorsWithoutKeys()
        for actor in missing { _ = try await stores.actorKeys.setKeysIfMissing(try makeKeys(), for: actor) }
        return missing.count
    }

    /// The instance actor's account (it signs fetches and follows instances).
    public func instanceAccount() async throws -> Account {
        guard let account = try await stores.accounts.find(handle: Handle(name: ActorURLs.instanceActorName)) else {
            throw HerdError.internalError("the instance actor is missing")
        }
        return account
    }

    /// Who signs for a local actor: `<actor url>#main-key` and its private key. Throws `notFound` when the account
    /// or channel is gone.
    public func signer(for actor: LocalActor) async throws -> FederationSigner {
        let url: String
        switch actor {
        case .account(let id):
            guard let account = try await stores.accounts.find(id: id) else {
                throw HerdError.notFound("the signing account is gone")
            }
            url = urls.account(account.name)
        case .channel(let id):
            guard let channel = try await stores.channels.find(id: id) else {
                throw HerdError.notFound("the signing channel is gone")
            }
            url = urls.channel(channel.channel.name)
        }
        return FederationSigner(
            keyID: url + "#main-key", key: try RSAKey(pem: try await keys(for: actor).privateKeyPEM))
    }

    /// The URL of the local account or channel with this name (names are unique across both).
    public func url(named name: String) async throws -> String? {
        if try await stores.accounts.find(handle: Handle(name: name)) != nil { return urls.account(name) }
        if try await stores.channels.find(handle: Handle(name: name)) != nil { return urls.channel(name) }
        return nil
    }

    /// An actor's keys, made now if it has none.
    public func keys(for actor: LocalActor) async throws -> ActorKeyPair {
        if let keys = try await stores.actorKeys.keys(for: actor) { return keys }
        return try await stores.actorKeys.setKeysIfMissing(try makeKeys(), for: actor)
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
