import Foundation
import HerdCore
import HerdCrypto
import HerdFederation

/// Remote actors by URL: from the cache, else fetched (signed by the instance actor), checked and cached.
public final class RemoteActorResolver: Sendable {
    let stores: Stores
    let fetcher: RemoteDocuments
    let clock: any WallClock

    public init(stores: Stores, fetcher: RemoteDocuments, clock: any WallClock) {
        self.stores = stores
        self.fetcher = fetcher
        self.clock = clock
    }

    public func actor(_ url: String, refresh: Bool = false) async throws -> RemoteActorRecord {
        if !refresh, let cached = try await stores.federation.remoteActor(url: url) { return cached }
        let document: JSONValue
        do {
            document = try await fetcher.signedFetch(url)
        } catch {
            throw HerdError(.badRequest, "cannot fetch the actor \(url)", cause: "\(error)")
        }
        let actor: RemoteActor
        do {
            actor = try RemoteActor(document: document, fetchedURL: url)
        } catch {
            throw HerdError.badRequest("\(url) is not a usable actor: \(error)")
        }
        let record = RemoteActorRecord(
            url: actor.url, kind: actor.kind, preferredUsername: actor.preferredUsername, name: actor.name,
            host: actor.host, inbox: actor.inbox, sharedInbox: actor.sharedInbox, followers: actor.followers,
            keyID: actor.keyID, publicKeyPEM: actor.publicKeyPEM, fetchedAt: clock.now())
        try await stores.federation.saveRemoteActor(record)
        return record
    }
}

extension LocalActors {
    /// The instance actor's signer (`…/accounts/peertube#main-key`): it signs fetches and instance follows.
    public func instanceSigner() async throws -> FederationSigner {
        try await signer(for: .account(try await instanceAccount().id))
    }

    /// The local actor an ActivityPub URL names (`…/accounts/<name>` or `…/video-channels/<name>`), if any.
    public func local(url: String) async throws -> (actor: LocalActor, url: String)? {
        let accountPrefix = urls.baseURL + "/accounts/"
        let channelPrefix = urls.baseURL + "/video-channels/"
        if url.hasPrefix(accountPrefix) {
            let name = String(url.dropFirst(accountPrefix.count))
            guard let account = try await stores.accounts.find(handle: Handle(name: name)) else { return nil }
            return (.account(account.id), urls.account(account.name))
        }
        if url.hasPrefix(channelPrefix) {
            let name = String(url.dropFirst(channelPrefix.count))
            guard let channel = try await stores.channels.find(handle: Handle(name: name)) else { return nil }
            return (.channel(channel.channel.id), urls.channel(channel.channel.name))
        }
        return nil
    }
}
