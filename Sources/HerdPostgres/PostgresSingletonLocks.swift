import HerdCore
import PostgresNIO

/// Singletons across nodes on PostgreSQL's advisory locks: `pg_try_advisory_lock` on a connection kept for the
/// round, released by `pg_advisory_unlock` after it, or by PostgreSQL when the connection of a process that died
/// closes. The key is `hashtext('herd:' || name)`, so other programs' advisory locks on the database do not collide
/// with Herd's by chance.
struct PostgresSingletonLocks: SingletonLocks {
    let db: PostgresConnections

    func alone<T: Sendable>(_ name: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T? {
        let key = "herd:" + name
        do {
            return try await db.leased { connection in
                let taken = try await connection.query(
                    "SELECT pg_try_advisory_lock(hashtext(\(key)))", logger: db.logger
                )
                .collect().first?.decode(Bool.self)
                guard taken == true else { return nil }
                let outcome: Result<T, any Error>
                do { outcome = .success(try await body()) } catch { outcome = .failure(error) }
                do {
                    _ = try await connection.query("SELECT pg_advisory_unlock(hashtext(\(key)))", logger: db.logger)
                        .collect()
                } catch {
                    // A pooled connection must not keep the lock: closed, it releases it, and the pool opens another.
                    try? await connection.close()
                }
                return try outcome.get()
            }
        } catch let error as PSQLError {
            throw PostgresFailure.mapped(error)
        }
    }
}
