import Foundation
import HerdCore
import PostgresNIO

struct PostgresChannelStore: ChannelStore {
    let db: PostgresConnections

    static let joined = """
        SELECT \(Columns.channel), \(Columns.account) FROM channels c JOIN accounts a ON a.id = c.account_id
        """

    func create(_ new: NewChannel) async throws -> HerdCore.Channel {
        try await db.transaction {
            if try await actorNameTaken(db, new.name) {
                throw HerdError.conflict("the name '\(new.name)' is already taken")
            }
            let channel = try await db.mapUnique("the name '\(new.name)' is already taken") {
                try HerdCore.Channel(
                    row: try await db.query(
                        """
                        INSERT INTO channels AS c (account_id, name, host, display_name, description, support,
                            created_at, updated_at)
                        VALUES (\(new.accountId), \(new.name), '', \(new.displayName), \(new.description), \(new.support),
                            now(), now())
                        RETURNING \(unescaped: Columns.channel)
                        """)[0])
            }
            if let keys = new.keys { try await PostgresActorKeyStore.insert(db, keys, for: .channel(channel.id)) }
            return channel
        }
    }

    func find(id: Int64) async throws -> ChannelWithOwner? {
        try await db.first("\(unescaped: Self.joined) WHERE c.id = \(id)").map(Self.decode)
    }

    func find(handle: Handle) async throws -> ChannelWithOwner? {
        try await db.first("\(unescaped: Self.joined) WHERE c.host = \(handle.host ?? "") AND c.name = \(handle.name)")
            .map(Self.decode)
    }

    func list(accountId: Int64?, pagination: Pagination, sort: ChannelSort) async throws -> Page<ChannelWithOwner> {
        let order =
            switch sort {
            case .createdAt: "c.created_at, c.id"
            case .createdAtDesc: "c.created_at DESC, c.id DESC"
            case .name: "c.name"
            case .nameDesc: "c.name DESC"
            }
        let total = try await db.query(
            "SELECT COUNT(*) FROM channels c WHERE \(accountId)::bigint IS NULL OR c.account_id = \(accountId)"
        )[0].decode(Int.self)
        let data = try await db.query(
            """
            \(unescaped: Self.joined) WHERE \(accountId)::bigint IS NULL OR c.account_id = \(accountId)
            ORDER BY \(unescaped: order) LIMIT \(pagination.count) OFFSET \(pagination.start)
            """
        ).map(Self.decode)
        return Page(total: total, data: data)
    }

    func update(_ channel: HerdCore.Channel) async throws {
        try await db.query(
            """
            UPDATE channels SET display_name = \(channel.displayName), description = \(channel.description),
                support = \(channel.support), updated_at = now()
            WHERE id = \(channel.id)
            """)
    }

    func delete(id: Int64) async throws {
        try await db.query("DELETE FROM channels WHERE id = \(id)")
    }

    func count(accountId: Int64) async throws -> Int {
        try await db.query("SELECT COUNT(*) FROM channels WHERE account_id = \(accountId)")[0].decode(Int.self)
    }

    static func decode(_ row: PostgresRow) throws -> ChannelWithOwner {
        var cells = Cells(row)
        return ChannelWithOwner(channel: try HerdCore.Channel(cells: &cells), owner: try Account(cells: &cells))
    }
}
