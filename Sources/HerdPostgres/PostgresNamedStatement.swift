import Foundation
import PostgresNIO
import Synchronization

/// A statement with binds, outside a transaction, runs as a named prepared statement, prepared once per connection
/// (postgres-nio keeps each connection's), so PostgreSQL parses it once and reuses its generic plan
/// (`plan_cache_mode`, `PostgresStorage`) instead of parsing and planning it at every execution. Its name is a hash
/// of its text; the binds' types are the ones the first execution sends. Past `maximumNames` distinct texts in this
/// process (a query built with a varying number of placeholders), further ones run unnamed, so no connection
/// accumulates statements without bound.
struct PostgresNamedStatement: PostgresPreparedStatement {
    typealias Row = PostgresRow

    /// The statement being run by this task (postgres-nio reads a statement's name and text as static properties,
    /// while it sends the statement).
    @TaskLocal static var current = (name: "", sql: "")
    static var name: String { current.name }
    static var sql: String { current.sql }

    let bindings: PostgresBindings

    func makeBindings() throws -> PostgresBindings { bindings }
    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }

    static let maximumNames = 2000
    /// Each name given, with its text (two texts whose hashes collide: the second runs unnamed).
    private static let names = Mutex<[String: String]>([:])

    /// The rows of `query` on `connection`: named when it has binds and the process has room for another name.
    static func rows(_ query: PostgresQuery, on connection: PostgresConnection, logger: Logger) async throws
        -> [PostgresRow]
    {
        guard query.binds.count > 0, let name = admitted(query.sql) else {
            return try await connection.query(query, logger: logger).collect()
        }
        return try await $current.withValue((name, query.sql)) {
            let rows: AsyncThrowingMapSequence<PostgresRowSequence, PostgresRow> = try await connection.execute(
                PostgresNamedStatement(bindings: query.binds), logger: logger)
            var collected: [PostgresRow] = []
            for try await row in rows { collected.append(row) }
            return collected
        }
    }

    /// The name of `sql` (FNV-1a, 64 bits), or nil when the process already named `maximumNames` others or another
    /// text has that name.
    static func admitted(_ sql: String) -> String? {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in sql.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let name = "herd_" + String(hash, radix: 16)
        return names.withLock { known in
            if let named = known[name] { return named == sql ? name : nil }
            guard known.count < maximumNames else { return nil }
            known[name] = sql
            return name
        }
    }
}
