import Foundation
import HerdCore
import Logging
import PostgresNIO
import Synchronization

/// The stores' way to the database. Outside a transaction each statement takes a pooled connection; inside
/// `transaction { }` (theirs, or `Stores.transaction`) every statement of the task goes to the transaction's one
/// connection, so the body reads what it wrote and commits it at once.
struct PostgresConnections: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// Runs one statement and returns its rows.
    @discardableResult
    func query(_ query: PostgresQuery) async throws -> [PostgresRow] {
        do {
            // Inside a transaction, unnamed: a statement first prepared after another failed there would fail on that
            // connection for good (postgres-nio keeps a failed preparation).
            if let transaction = PostgresTransaction.current, transaction.client === client {
                return try await transaction.connection.query(query, logger: logger).collect()
            }
            return try await leased { connection in
                try await PostgresNamedStatement.rows(query, on: connection, logger: logger)
            }
        } catch let error as PSQLError {
            throw PostgresFailure.mapped(error)
        }
    }

    /// How long a statement waits for a pooled connection. The pool waits for ever while PostgreSQL is down or
    /// unreachable; past this the request fails as unavailable (503 with Retry-After) instead of hanging.
    static let leaseTimeout: Duration = .seconds(10)

    /// `body` on a pooled connection, or `HerdError.unavailable` when none comes within `leaseTimeout`.
    func leased<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let lease = LeaseFlag()
        return try await withThrowingTaskGroup(of: LeaseOutcome<T>.self) { group in
            group.addTask {
                .done(
                    try await client.withConnection { connection in
                        lease.taken()
                        return try await body(connection)
                    })
            }
            group.addTask {
                try await Task.sleep(for: Self.leaseTimeout)
                return .timedOut
            }
            while let outcome = try await group.next() {
                switch outcome {
                case .done(let value):
                    group.cancelAll()
                    return value
                case .timedOut where !lease.wasTaken:
                    group.cancelAll()
                    throw PostgresFailure.unavailable(cause: "no connection to PostgreSQL within \(Self.leaseTimeout)")
                case .timedOut:
                    continue  // the statement is running: it ends by itself
                }
            }
            throw CancellationError()
        }
    }

    /// The first row of a statement, if any.
    func first(_ query: PostgresQuery) async throws -> PostgresRow? {
        try await self.query(query).first
    }

    /// Runs `body` in one transaction, or inside the task's open one (then in a savepoint, so that a statement that
    /// fails, such as a refused duplicate, undoes only this body and the outer transaction may go on).
    func transaction<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        if let transaction = PostgresTransaction.current, transaction.client === client {
            let name = "s\(transaction.nextSavepoint())"
            try await query(PostgresQuery(unsafeSQL: "SAVEPOINT \(name)"))
            do {
                let value = try await body()
                try await query(PostgresQuery(unsafeSQL: "RELEASE SAVEPOINT \(name)"))
                return value
            } catch {
                _ = try? await query(PostgresQuery(unsafeSQL: "ROLLBACK TO SAVEPOINT \(name)"))
                throw error
            }
        }
        do {
            // The task group behind `leased` ends before this returns: `body` does not outlive the call.
            return try await withoutActuallyEscaping(body) { body in
                try await leased { [logger, client] connection in
                    try await connection.query("BEGIN", logger: logger)
                    let transaction = PostgresTransaction(client: client, connection: connection)
                    let value: T
                    do {
                        value = try await PostgresTransaction.$current.withValue(transaction) { try await body() }
                    } catch {
                        _ = try? await connection.query("ROLLBACK", logger: logger)
                        throw error
                    }
                    try await connection.query("COMMIT", logger: logger)
                    return value
                }
            }
        } catch let error as PSQLError {
            throw PostgresFailure.mapped(error)
        }
    }
}

/// `StoreTransactions` on PostgreSQL: one connection's `BEGIN`/`COMMIT`.
struct PostgresTransactions: StoreTransactions {
    let db: PostgresConnections

    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        if let current = PostgresTransaction.current, current.client === db.client { return try await body() }
        return try await db.transaction(body)
    }
}

/// The open transaction of a task: its connection (held until the commit) and a counter for savepoint names.
final class PostgresTransaction: Sendable {
    @TaskLocal static var current: PostgresTransaction?

    let client: PostgresClient
    let connection: PostgresConnection
    private let savepoints = Mutex(0)

    init(client: PostgresClient, connection: PostgresConnection) {
        self.client = client
        self.connection = connection
    }

    func nextSavepoint() -> Int {
        savepoints.withLock {
            $0 += 1
            return $0
        }
    }
}

/// Whether a statement has its connection yet.
final class LeaseFlag: Sendable {
    private let flag = Mutex(false)
    func taken() { flag.withLock { $0 = true } }
    var wasTaken: Bool { flag.withLock { $0 } }
}

/// What came first: the statement's result, or the lease timeout.
enum LeaseOutcome<T: Sendable>: Sendable {
    case done(T)
    case timedOut
}

extension PostgresFailure {
    /// The database did not answer (stopped, restarting, unreachable): a 503 with `Retry-After` for clients and a
    /// clear log line, not a 500. Anything else PostgreSQL refused stays a `PostgresFailure`.
    static func mapped(_ error: PSQLError) -> any Error {
        let failure = PostgresFailure(error)
        let unreachable =
            if let state = failure.sqlState {
                // Class 08: connection exceptions; 57P01-57P03: the server is shutting down or starting.
                state.hasPrefix("08") || state.hasPrefix("57P")
            } else {
                [.connectionError, .serverClosedConnection, .uncleanShutdown].contains(error.code)
            }
        return unreachable ? unavailable(cause: failure.description) : failure
    }

    static func unavailable(cause: String) -> HerdError {
        HerdError(.unavailable, "The database is unavailable at the moment; try again shortly.", cause: cause)
    }
}

/// A statement PostgreSQL refused, or a connection that failed: the server's message and SQLSTATE, for logs.
/// (`PSQLError` hides them from its description, and its reflection carries the statement's bound values.)
public struct PostgresFailure: Error, CustomStringConvertible {
    /// The server's SQLSTATE (`23505` is a unique violation), nil when no server answered.
    public let sqlState: String?
    public let description: String

    init(_ error: PSQLError) {
        sqlState = error.serverInfo?[.sqlState]
        if let info = error.serverInfo {
            description = "PostgreSQL: \(info[.message] ?? "error") (SQLSTATE \(sqlState ?? "?"))"
        } else {
            description = "PostgreSQL: \(error.code)" + (error.underlying.map { " (\($0))" } ?? "")
        }
    }
}

extension PostgresConnections {
    /// Runs `body`, whose statements may hit a unique index, and maps that violation (SQLSTATE 23505) to a public
    /// conflict. Inside a transaction it runs in a savepoint, so that the refused statement does not end the whole
    /// transaction (PostgreSQL refuses every later statement of a transaction after an error).
    @discardableResult
    func mapUnique<T: Sendable>(_ message: String, _ body: @Sendable () async throws -> T) async throws -> T {
        do {
            if PostgresTransaction.current?.client === client { return try await transaction(body) }
            return try await body()
        } catch let error as PostgresFailure where error.sqlState == "23505" {
            throw HerdError(.conflict, message, cause: error.description)
        }
    }
}
