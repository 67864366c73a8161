import HerdCore
import HerdCrypto
import Synchronization

/// RSA pairs for test actors: eight made once per test process, then handed out in turn. A fresh pair costs ~100 ms
/// of CPU, and every test instance makes three (its administrator's account and channel, the instance actor) before
/// any user. Tests run side by side draw from the same turn, so two actors of one test may share a pair: a test that
/// needs each actor's own key asks for `ActorKeyMaker.rsa2048`.
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
