import Foundation
import GRDB
import HerdCore

struct SQLiteChannelStore: ChannelStore {
    let pool: SQLiteConnections

    func create(_ new: NewChannel) async throws -> Channel {
        try await pool.write { db in
            if try actorNameTaken(db, new.name) { throw HerdError.conflict("the name '\(new.name)' is already taken") }
            let now = Date().databaseValue
            try db.execute(
                sql: """
                    INSERT INTO channels (account_id, name, host, display_name, description, support, created_at, updated_at)
                    VALUES (?, ?, '', ?, ?, ?, ?, ?)
                    """,
                arguments: [new.accountId, new.name, new.displayName, new.description, new.support, now, now]
            )
            let id = db.lastInsertedRowID
            if let keys = new.keys { try SQLiteActorKeyStore.insert(db, keys, for: .channel(id)) }
            let date = Date(databaseValue: now)
            return Channel(
                id: id, accountId: new.accountId, name: new.name, displayName: new.displayName,
                description: new.description, support: new.support, createdAt: date, updatedAt: date
            )
        }
    }

    func find(id: Int64) async throws -> ChannelWithOwner? {
        try await pool.readHere { db in try fetchAll(db, where: "c.id = ?", [id], suffix: "").first }
    }

    func find(handle: Handle) async throws -> ChannelWithOwner? {
        try await pool.readHere { db in
            try fetchAll(db, where: "c.host = ? AND c.name = ?", [handle.host ?? "", handle.name], suffix: "").first
        }
    }

    func list(accountId: Int64?, pagination: Pagination, sort: ChannelSort) async throws -> Page<ChannelWithOwner> {
        try await pool.readHere { db in
            let condition = accountId == nil ? "1" : "c.account_id = ?"
            let arguments: StatementArguments = accountId.map { [$0] } ?? []
            let total =
                try Int.fetchOne(
                    db.cachedStatement(sql: "SELECT COUNT(*) FROM channels c WHERE \(condition)"), arguments: arguments)
                ?? 0
            let order: String
            switch sort {
            case .createdAt: order = "c.created_at, c.id"
            case .createdAtDesc: order = "c.created_at DESC, c.id DESC"
            case .name: order = "c.name"
            case .nameDesc: order = "c.name DESC"
            }
            let data = try fetchAll(
                db, where: condition, arguments + [pagination.count, pagination.start],
                suffix: "ORDER BY \(order) LIMIT ? OFFSET ?"
            )
            return Page(total: total, data: data)
        }
    }

    func update(_ channel: Channel) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE channels SET display_name = ?, description = ?, support = ?, updated_at = ? WHERE id = ?",
                arguments: [
                    channel.displayName, channel.description, channel.support, Date().databaseValue, channel.id,
                ]
            )
        }
    }

    func delete(id: Int64) async throws {
        try await pool.write { db in try db.execute(sql: "DELETE FROM channels WHERE id = ?", arguments: [id]) }
    }

    func count(accountId: Int64) async throws -> Int {
        try await pool.readHere { db in
            try Int.fetchOne(
                db.cachedStatement(sql: "SELECT COUNT(*) FROM channels WHERE account_id = ?"), arguments: [accountId])
                ?? 0
        }
    }

    private func fetchAll(_ db: Database, where condition: String, _ arguments: StatementArguments, suffix: String)
        throws -> [ChannelWithOwner]
    {
        try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT \(Columns.channel), \(Columns.account) FROM channels c JOIN accounts a ON a.id = c.account_id
                    WHERE \(condition) \(suffix)
                    """),
            arguments: arguments
        ).map { ChannelWithOwner(channel: Channel(row: $0, at: 0), owner: Account(row: $0, at: Channel.columnCount)) }
    }
}
