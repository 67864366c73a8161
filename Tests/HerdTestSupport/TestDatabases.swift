import Foundation
import Synchronization

/// Which database the suite's Herd instances use: their own SQLite file (the default), or with
/// `HERD_TEST_DATABASE=postgres` a PostgreSQL database each on `PostgresTestServer` (issue 18: the whole suite passes
/// on both; `make test` runs it both ways).
public enum TestDatabases {
    public static let usesPostgres = ProcessInfo.processInfo.environment["HERD_TEST_DATABASE"] == "postgres"

    private static let databases = Mutex<[String: TestPostgresDatabase]>([:])

    /// The `database.url` for the instance whose storage is in `directory`: empty (its own SQLite file), or a
    /// PostgreSQL database made on first use, the same one for a restart in the same directory.
    /// - Parameter postgres: PostgreSQL even when the suite runs on SQLite (tests of several processes).
    public static func url(for directory: String, postgres: Bool = usesPostgres) async throws -> String {
        guard postgres else { return "" }
        if let known = databases.withLock({ $0[directory] }) { return known.url }
        let database = try await PostgresTestServer.shared.database()
        return databases.withLock { known in
            if let other = known[directory] { return other.url }
            known[directory] = database
            return database.url
        }
    }

    /// `url(for:)` for callers that cannot wait asynchronously (servers started from blocking tests).
    public static func urlWaiting(for directory: String, postgres: Bool = usesPostgres) throws -> String {
        guard postgres else { return "" }
        return try runBlocking { try await url(for: directory, postgres: true) }
    }

    /// Drops the database of `directory`'s instance, if it has one.
    public static func drop(for directory: String) {
        guard let database = databases.withLock({ $0.removeValue(forKey: directory) }) else { return }
        Task { await database.drop() }
    }
}
