import Foundation
import GRDB
import HerdCore

struct SQLiteAccountStore: AccountStore {
    let pool: SQLiteConnections

    func find(id: Int64) async throws -> Account? {
        try await fetch("a.id = ?", [id])
    }

    func find(handle: Handle) async throws -> Account? {
        try await fetch("a.host = ? AND a.name = ?", [handle.host ?? "", handle.name])
    }

    func find(userId: Int64) async throws -> Account? {
        try await fetch("a.user_id = ?", [userId])
    }

    func update(_ account: Account) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE accounts SET display_name = ?, description = ?, updated_at = ? WHERE id = ?",
                arguments: [account.displayName, account.description, Date().databaseValue, account.id]
            )
        }
    }

    func createSystemAccount(name: String, displayName: String, keys: ActorKeyPair) async throws -> Account {
        try await pool.write { db in
            let now = Date().databaseValue
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO accounts (user_id, name, host, display_name, created_at, updated_at)
                    VALUES (NULL, ?, '', ?, ?, ?)
                    """,
                arguments: [name, displayName, now, now])
            guard
                let account = try Row.fetchOne(
                    db.cachedStatement(
                        sql: "SELECT \(Columns.account) FROM accounts a WHERE a.host = '' AND a.name = ?"),
                    arguments: [name]
                ).map({ Account(row: $0, at: 0) })
            else { throw HerdError.internalError("the account \(name) was not created") }
            try SQLiteActorKeyStore.insert(db, keys, for: .account(account.id))
            return account
        }
    }

    private func fetch(_ condition: String, _ arguments: StatementArguments) async throws -> Account? {
        try await pool.readHere { db in
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT \(Columns.account) FROM accounts a WHERE \(condition)"),
                arguments: arguments
            )
            .map { Account(row: $0, at: 0) }
        }
    }
}
