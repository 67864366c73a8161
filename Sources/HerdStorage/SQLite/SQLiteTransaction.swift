import Foundation
import GRDB
import HerdCore

/// The stores' way to the database. Outside a transaction: reads on the calling thread from a reader connection, writes
/// each in its own transaction on the writer. Inside `SQLiteTransactions.run`: both go to the open transaction on the
/// writer, so the body reads what it wrote and commits it at once.
struct SQLiteConnections: Sendable {
    let pool: DatabasePool

    func write<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws -> T {
        if let transaction = SQLiteTransaction.current, transaction.pool === pool {
            return try await transaction.perform(updates)
        }
        return try await pool.write(updates)
    }

    /// Every store reads with this: on the calling thread, in one read transaction. WAL readers run side by side with
    /// the writer, the reads here are indexed or bounded (milliseconds at most), and an async read would cost two
    /// thread hops and GRDB's continuation machinery for each (about 70 µs of CPU per API request; issue 16).
    ///
    /// No store may mix in GRDB's async reads: an async read holds one of the pool's readers across a suspension, and
    /// the threads it needs to resume could be the very ones waiting here for a reader (a deadlock, seen under load).
    func readHere<T: Sendable>(_ value: @escaping @Sendable (Database) throws -> T) async throws -> T {
        if let transaction = SQLiteTransaction.current, transaction.pool === pool {
            return try await transaction.perform(value)
        }
        return try readOnThisThread(value)
    }

    /// GRDB's synchronous read (a synchronous function cannot pick its async overload).
    private func readOnThisThread<T>(_ value: (Database) throws -> T) throws -> T { try pool.read(value) }
}

/// `StoreTransactions` on SQLite: one write transaction on the writer connection, held while the body runs.
/// The writer's thread waits for the body's statements and runs them in order; a throw from the body rolls it all back.
struct SQLiteTransactions: StoreTransactions {
    let pool: DatabasePool

    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        if let current = SQLiteTransaction.current, current.pool === pool { return try await body() }
        let transaction = SQLiteTransaction(pool: pool)
        async let committed: Void = {
            do {
                try await pool.write { db in try transaction.serve(db) }
            } catch {
                // The writer never served (a cancelled task is refused before it starts) or the commit failed: no
                // statement may wait for it any longer.
                transaction.abandon(error)
                throw error
            }
        }()
        let value: T
        do {
            value = try await SQLiteTransaction.$current.withValue(transaction) { try await body() }
        } catch {
            transaction.end(commit: false)
            _ = try? await committed
            throw error
        }
        transaction.end(commit: true)
        try await committed
        return value
    }
}

/// One open write transaction: the statements of its body, queued for the writer's thread.
final class SQLiteTransaction: @unchecked Sendable {
    @TaskLocal static var current: SQLiteTransaction?

    struct RolledBack: Error {}

    /// A statement waiting for the writer: run there, or failed if the writer is gone.
    private struct Pending {
        let run: @Sendable (Database) -> Void
        let fail: @Sendable (any Error) -> Void
    }

    let pool: DatabasePool
    // Guards `work` and `outcome`; the writer's thread waits on it for the next statement or the end.
    private let condition = NSCondition()
    private var work: [Pending] = []
    private var outcome: Bool?

    init(pool: DatabasePool) {
        self.pool = pool
    }

    /// Runs `statements` on the writer's thread inside this transaction.
    func perform<T: Sendable>(_ statements: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            condition.withLock {
                guard outcome == nil else {
                    continuation.resume(throwing: HerdError.internalError("a statement after its transaction ended"))
                    return
                }
                work.append(
                    Pending(
                        run: { db in continuation.resume(with: Result { try statements(db) }) },
                        fail: { error in continuation.resume(throwing: error) }))
                condition.signal()
            }
        }
    }

    /// On the writer's thread, inside GRDB's transaction: runs the body's statements until it ends, and throws to roll
    /// back when the body failed.
    func serve(_ db: Database) throws {
        while true {
            condition.lock()
            while work.isEmpty && outcome == nil { condition.wait() }
            let next = work.isEmpty ? nil : work.removeFirst()
            let ended = outcome
            condition.unlock()
            if let next {
                next.run(db)
            } else if ended == true {
                return
            } else {
                throw RolledBack()
            }
        }
    }

    func end(commit: Bool) {
        condition.withLock {
            if outcome == nil { outcome = commit }
            condition.signal()
        }
    }

    /// The writer is gone: what waits for it fails, and so does whatever the body asks next.
    func abandon(_ error: any Error) {
        let waiting = condition.withLock {
            outcome = false
            defer { work.removeAll() }
            return work
        }
        for pending in waiting { pending.fail(error) }
    }
}
