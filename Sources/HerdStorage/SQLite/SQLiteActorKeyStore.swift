import Foundation
import GRDB
import HerdCore

struct SQLiteActorKeyStore: ActorKeyStore {
    let pool: SQLiteConnections

    func keys(for actor: LocalActor) async throws -> ActorKeyPair? {
        try await pool.readHere { db in try Self.keys(db, actor) }
    }

    func setKeysIfMissing(_ keys: ActorKeyPair, for actor: LocalActor) async throws -> ActorKeyPair {
        try await pool.write { db in
            try Self.insert(db, keys, for: actor)
            return try Self.keys(db, actor) ?? keys
        }
    }

    func actorsWithoutKeys() async throws -> [LocalActor] {
        try await pool.readHere { db in
            let accounts = try Int64.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT id FROM accounts WHERE host = ''
                        AND id NOT IN (SELECT local_id FROM actor_keys WHERE actor = 'account') ORDER BY id
                        """))
            let channels = try Int64.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT id FROM channels WHERE host = ''
                        AND id NOT IN (SELECT local_id FROM actor_keys WHERE actor = 'channel') ORDER BY id
                        """))
            return accounts.map(LocalActor.account) + channels.map(LocalActor.channel)
        }
    }

    static func keys(_ db: Database, _ actor: LocalActor) throws -> ActorKeyPair? {
        let (kind, id) = actor.row
        return try Row.fetchOne(
            db.cachedStatement(
                sql: "SELECT public_key_pem, private_key_pem FROM actor_keys WHERE actor = ? AND local_id = ?"),
            arguments: [kind, id]
        ).map { ActorKeyPair(publicKeyPEM: $0[0], privateKeyPEM: $0[1]) }
    }

    /// Inserts keys unless the actor has some; used inside the transaction that creates the actor.
    static func insert(_ db: Database, _ keys: ActorKeyPair, for actor: LocalActor) throws {
        let (kind, id) = actor.row
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO actor_keys (actor, local_id, public_key_pem, private_key_pem, created_at)
                VALUES (?, ?, ?, ?, ?)
                """,
            arguments: [kind, id, keys.publicKeyPEM, keys.privateKeyPEM, Date().databaseValue])
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
