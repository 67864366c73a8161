import HerdCore
import HerdCrypto
import Synchronization

/// RSA pairs for test actors: eight made once per test process, then handed out in turn, so that two actors made one
/// after the other never share a key. A fresh pair costs ~100 ms of CPU, and every test instance makes three (its
/// administrator's account and channel, the instance actor) before any user.
public enum TestActorKeys {
    static let pairs: [ActorKeyPair] = (0..<8).map { _ in
        let key = try! RSAKey.generate()
        return ActorKeyPair(publicKeyPEM: key.publicKeyPEM, privateKeyPEM: key.privateKeyPEM!)
    }
    static let handedOut = Atomic<Int>(0)

    public static func next() -> ActorKeyPair {
        pairs[handedOut.add(1, ordering: .relaxed).oldValue % pairs.count]
    }
}
