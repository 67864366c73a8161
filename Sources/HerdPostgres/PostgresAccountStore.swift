import Foundation
import HerdCore
import PostgresNIO

struct PostgresAccountStore: AccountStore {
    let db: PostgresConnections

    func find(id: Int64) async throws -> Account? {
        try await db.first("SELECT \(unescaped: Columns.account) FROM accounts a WHERE a.id = \(id)").map(
            Account.init(row:))
    }

    func find(handle: Handle) async throws -> Account? {
        try await db.first(
            """
            SELECT \(unescaped: Columns.account) FROM accounts a WHERE a.host = \(handle.host ?? "") AND a.name = \(handle.name)
            """
        ).map(Account.init(row:))
    }

    func find(userId: Int64) async throws -> Account? {
        try await db.first("SELECT \(unescaped: Columns.account) FROM accounts a WHERE a.user_id = \(userId)").map(
            Account.init(row:))
    }

    func update(_ account: Account) async throws {
        try await db.query(
            """
            UPDATE accounts SET display_name = \(account.displayName), description = \(account.description),
                updated_at = now()
            WHERE id = \(account.id)
            """)
    }

    func createSystemAccount(name: String, displayName: String, keys: ActorKeyPair) async throws -> Account {
        try await db.transaction {
            try await db.query(
                """
                INSERT INTO accounts (user_id, name, host, display_name, created_at, updated_at)
                VALUES (NULL, \(name), '', \(displayName), now(), now()) ON CONFLICT (host, name) DO NOTHING
                """)
            guard
                let account = try await db.first(
                    "SELECT \(unescaped: Columns.account) FROM accounts a WHERE a.host = '' AND a.name = \(name)"
                ).map(Account.init(row:))
            else { throw HerdError.internalError("the account \(name) was not created") }
            try await PostgresActorKeyStore.insert(db, keys, for: .account(account.id))
            return account
        }
    }
}
