import HerdCore
import HerdCrypto

/// Makes the key pair of each new local actor (accounts, channels, the instance actor).
public struct ActorKeyMaker: Sendable {
    private let make: @Sendable () throws -> ActorKeyPair

    /// Tests pass pairs made once and handed out in turn: a fresh RSA pair costs ~100 ms of CPU, and every test
    /// instance and user makes several.
    public init(_ make: @escaping @Sendable () throws -> ActorKeyPair) {
        self.make = make
    }

    public func callAsFunction() throws -> ActorKeyPair { try make() }

    /// A new RSA-2048 pair for every actor, as PeerTube and Mastodon make them.
    public static let rsa2048 = ActorKeyMaker {
        let key = try RSAKey.generate()
        guard let privateKeyPEM = key.privateKeyPEM else { throw HerdError.internalError("no private key PEM") }
        return ActorKeyPair(publicKeyPEM: key.publicKeyPEM, privateKeyPEM: privateKeyPEM)
    }
}
