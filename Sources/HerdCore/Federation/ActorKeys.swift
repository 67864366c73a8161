/// A local actor's RSA key pair, as PEM (public: SubjectPublicKeyInfo; private: PKCS #8). Made with OpenSSL when
/// the account or channel is created; the private half never leaves the database except to sign.
public struct ActorKeyPair: Sendable, Equatable {
    public var publicKeyPEM: String
    public var privateKeyPEM: String

    public init(publicKeyPEM: String, privateKeyPEM: String) {
        self.publicKeyPEM = publicKeyPEM
        self.privateKeyPEM = privateKeyPEM
    }
}

/// A local actor: an account (`Person`, or the instance actor) or a channel (`Group`).
public enum LocalActor: Sendable, Hashable {
    case account(Int64)
    case channel(Int64)
}

/// Persistence of local actors' keys.
public protocol ActorKeyStore: Sendable {
    func keys(for actor: LocalActor) async throws -> ActorKeyPair?
    /// Stores keys for an actor that has none; an actor's existing keys are kept (returns them).
    func setKeysIfMissing(_ keys: ActorKeyPair, for actor: LocalActor) async throws -> ActorKeyPair
    /// Local accounts and channels without keys (made before federation existed, or by an interrupted creation).
    func actorsWithoutKeys() async throws -> [LocalActor]
}
