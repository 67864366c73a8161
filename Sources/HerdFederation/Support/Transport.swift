import HerdCrypto

/// Who signs a request: an actor's key id and private key.
public struct FederationSigner: Sendable {
    public let keyID: String
    public let key: RSAKey

    public init(keyID: String, key: RSAKey) {
        self.keyID = keyID
        self.key = key
    }
}

/// Fetches ActivityPub documents (actors, objects), signed by the instance actor. The HTTP adapter implements it.
public protocol ActivityPubFetcher: Sendable {
    func fetch(_ url: String, signer: FederationSigner?) async throws -> JSONValue
    /// GETs a media file (a remote video's thumbnail), unsigned, up to `maxBytes`.
    func fetchMedia(_ url: String, maxBytes: Int) async throws -> [UInt8]
}

/// A fetched object that is gone (404 or 410): deleted at its origin.
public struct FetchedObjectGone: Error, Equatable {
    public init() {}
}

/// Delivers a signed activity to an inbox.
public protocol ActivityPubDeliverer: Sendable {
    func deliver(_ activity: [UInt8], to inbox: String, signer: FederationSigner) async throws
}
