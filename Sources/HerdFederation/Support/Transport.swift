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
    /// GETs a large file (a video a mirror copies), unsigned, handing its bytes to `consume` as they arrive;
    /// refuses more than `maxBytes`.
    func download(_ url: String, maxBytes: Int64, consume: ([UInt8]) async throws -> Void) async throws
    /// Whether `url` answers a `HEAD` with a 2xx status within `timeout` seconds (a mirror's health check).
    func probe(_ url: String, timeout: Int) async -> Bool
}

extension ActivityPubFetcher {
    public func download(_ url: String, maxBytes: Int64, consume: ([UInt8]) async throws -> Void) async throws {
        try await consume(try await fetchMedia(url, maxBytes: Int(min(maxBytes, Int64(Int32.max)))))
    }

    public func probe(_ url: String, timeout: Int) async -> Bool {
        (try? await fetchMedia(url, maxBytes: 1 << 20)) != nil
    }
}

/// A fetched object that is gone (404 or 410): deleted at its origin.
public struct FetchedObjectGone: Error, Equatable {
    public init() {}
}

/// Delivers a signed activity to an inbox.
public protocol ActivityPubDeliverer: Sendable {
    /// POSTs a signed activity; a failure that says whether trying again can help is a `DeliveryFailure`.
    func deliver(_ activity: [UInt8], to inbox: String, signer: FederationSigner) async throws
}

/// A failed delivery that knows whether retrying can change it (a 5xx or a timeout can; a 4xx or a private address
/// cannot).
public protocol DeliveryFailure: Error {
    var retryable: Bool { get }
}
