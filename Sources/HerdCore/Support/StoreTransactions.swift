import Synchronization

/// Runs store writes so that they commit together or not at all. Each backend provides one (SQLite: one write
/// transaction on its writer connection; PostgreSQL next: one connection's `BEGIN`/`COMMIT`).
///
/// Inside `run`, every store of the same backend takes part without being handed anything: the processors call their
/// usual stores (`stores.videos.create`, `outbox.send`), and what they write and read goes through the transaction.
/// A `run` inside another joins the outer one. The body should touch only stores: the transaction holds the database's
/// writer until it ends.
public protocol StoreTransactions: Sendable {
    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T
}

/// Work that must wait until the enclosing transaction commits (and is dropped if it rolls back): telling caches and
/// subscribers about a change before it is visible to other readers would let them reload the old state.
public final class AfterCommit: Sendable {
    @TaskLocal static var current: AfterCommit?

    private let actions = Mutex<[@Sendable () -> Void]>([])

    init() {}

    /// Runs `action` after the enclosing transaction commits, or at once outside any.
    public static func run(_ action: @escaping @Sendable () -> Void) {
        if let current {
            current.actions.withLock { $0.append(action) }
        } else {
            action()
        }
    }

    func runAll() {
        for action in actions.withLock({ $0 }) { action() }
    }
}

extension Stores {
    /// Runs `body` in one transaction over these stores: ingest (video, passwords, job), follows (follow and outgoing
    /// activity) and the like commit together. Work registered with `AfterCommit.run` (events, cache clears) runs once
    /// it has committed.
    public func transaction<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        if AfterCommit.current != nil { return try await transactions.run(body) }
        let afterCommit = AfterCommit()
        let value = try await AfterCommit.$current.withValue(afterCommit) { try await transactions.run(body) }
        afterCommit.runAll()
        return value
    }
}
