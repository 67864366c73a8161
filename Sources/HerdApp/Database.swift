import Foundation
import HerdCore
import HerdPostgres
import HerdStorage
import Logging

/// Opens the database that `database.*` names. Only this file knows the backends; the rest sees `Stores`.
public enum Database {
    public enum Backend: Equatable {
        case sqlite(path: String)
        case postgres(url: String, pool: Int)
    }

    public static func backend(for settings: Settings) throws(ConfigError) -> Backend {
        let database = settings.database
        let url = database.url
        let kind =
            database.kind.isEmpty
            ? (url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") ? "postgres" : "sqlite") : database.kind
        switch kind {
        case "postgres":
            guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
                throw ConfigError(
                    key: "database.url", problem: "database.kind postgres needs a postgres://user@host:port/name URL")
            }
            do {
                try PostgresStorage.check(url: url)
            } catch {
                throw ConfigError(key: "database.url", problem: error.description)
            }
            return .postgres(url: url, pool: database.pool)
        default:
            if url.isEmpty { return .sqlite(path: settings.storageDir + "/herd.sqlite") }
            if url.hasPrefix("sqlite://") {
                let path = String(url.dropFirst("sqlite://".count))
                guard !path.isEmpty else { throw ConfigError(key: "database.url", problem: "sqlite:// needs a path") }
                return .sqlite(path: path)
            }
            throw ConfigError(
                key: "database.url", problem: "expected sqlite:///path or postgres://user@host/name, got '\(url)'")
        }
    }

    /// The stores, and for PostgreSQL the client service that must run in the service group (and be running before
    /// anything reads: the migrations run once it is).
    public struct Opened: Sendable {
        public var stores: Stores
        public var postgres: PostgresStorage?
    }

    /// Runs `body` with the stores, for one-off commands: PostgreSQL's client is started and migrated before, and
    /// stopped after.
    public static func withStores<T: Sendable>(
        _ settings: Settings, logger: Logger, _ body: (Stores) async throws -> T
    ) async throws -> T {
        let database = try open(settings, logger: logger)
        guard let postgres = database.postgres else { return try await body(database.stores) }
        postgres.start()
        defer { postgres.stop() }
        try await postgres.migrate()
        return try await body(database.stores)
    }

    /// - Parameter listensForJobs: this process runs job workers, woken by PostgreSQL's notifications.
    public static func open(_ settings: Settings, listensForJobs: Bool = false, logger: Logger) throws -> Opened {
        switch try backend(for: settings) {
        case .sqlite(let path):
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            return Opened(stores: try SQLiteDatabase(path: path).stores, postgres: nil)
        case .postgres(let url, let pool):
            let storage = try PostgresStorage(url: url, pool: pool, listensForJobs: listensForJobs, logger: logger)
            return Opened(stores: storage.stores, postgres: storage)
        }
    }
}
