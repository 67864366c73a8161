import Foundation
import HerdCore
import PostgresNIO

struct PostgresActorKeyStore: ActorKeyStore {
    let db: PostgresConnections

    func keys(for actor: LocalActor) async throws -> ActorKeyPair? {
        try await Self.keys(db, actor)
    }

    func setKeysIfMissing(_ keys: ActorKeyPair, for actor: LocalActor) async throws -> ActorKeyPair {
        try await Self.insert(db, keys, for: actor)
        return try await Self.keys(db, actor) ?? keys
    }

    func actorsWithoutKeys() async throws -> [LocalActor] {
        let accounts = try await db.query(
            """
            SELECT id FROM accounts WHERE host = ''
            AND id NOT IN (SELECT local_id FROM actor_keys WHERE actor = 'account') ORDER BY id
            """
        ).map { LocalActor.account(try $0.decode(Int64.self)) }
        let channels = try await db.query(
            """
            SELECT id FROM channels WHERE host = ''
            AND id NOT IN (SELECT local_id FROM actor_keys WHERE actor = 'channel') ORDER BY id
            """
        ).map { LocalActor.channel(try $0.decode(Int64.self)) }
        return accounts + channels
    }

    static func keys(_ db: PostgresConnections, _ actor: LocalActor) async throws -> ActorKeyPair? {
        let (kind, id) = actor.row
        return try await db.first(
            "SELECT public_key_pem, private_key_pem FROM actor_keys WHERE actor = \(kind) AND local_id = \(id)"
        ).map { row in
            let (publicKey, privateKey) = try row.decode((String, String).self)
            return ActorKeyPair(publicKeyPEM: publicKey, privateKeyPEM: privateKey)
        }
    }

    /// Inserts keys unless the actor has some; used inside the transaction that creates the actor.
    static func insert(_ db: PostgresConnections, _ keys: ActorKeyPair, for actor: LocalActor) async throws {
        let (kind, id) = actor.row
        try await db.query(
            """
            INSERT INTO actor_keys (actor, local_id, public_key_pem, private_key_pem, created_at)
            VALUES (\(kind), \(id), \(keys.publicKeyPEM), \(keys.privateKeyPEM), now())
            ON CONFLICT (actor, local_id) DO NOTHING
            """)
    }
}

extension LocalActor {
    var row: (String, Int64) {
        switch self {
        case .account(let id): ("account", id)
        case .channel(let id): ("channel", id)
        }
    }
}
