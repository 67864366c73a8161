/// Periodic work that one process of an instance does at a time (issue 18): the upload and record janitors, the
/// mirror's checks, the lease reaper. On several nodes sharing a database each round is tried by every node and run
/// by the one that takes the lock; the others skip that round. A process that dies releases its locks with it.
public protocol SingletonLocks: Sendable {
    /// Runs `body` while holding the lock `name`, or returns nil at once when another process holds it.
    @discardableResult
    func alone<T: Sendable>(_ name: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T?
}

/// One process has the database to itself (SQLite, whose file only one server opens): every round runs.
public struct UnsharedSingletonLocks: SingletonLocks {
    public init() {}

    @discardableResult
    public func alone<T: Sendable>(_ name: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T?
    {
        try await body()
    }
}
