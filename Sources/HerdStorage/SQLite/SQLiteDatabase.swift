import Foundation
import GRDB
import HerdCore

/// The embedded database: one SQLite file in WAL mode, opened through GRDB on the system libsqlite3.
public final class SQLiteDatabase: Sendable {
    public let pool: DatabasePool
    let videoCounts = CountCache()
    let jobWakeups = JobWakeups()

    /// Opens (creating if needed) the database at `path` and runs pending migrations.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        configuration.maximumReaderCount = 8
        configuration.prepareDatabase { db in
            // FULL: a committed transaction survives a power cut too (with WAL, NORMAL may lose the last ones). Writes
            // here are few and small (uploads, edits, batched views), so the fsync per commit costs little.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        pool = try DatabasePool(path: path, configuration: configuration)  // DatabasePool uses WAL mode
        try Self.migrator.migrate(pool)
    }

    /// The stores over this database.
    public var stores: Stores {
        let connections = SQLiteConnections(pool: pool)
        return Stores(
            users: SQLiteUserStore(pool: connections),
            tokens: SQLiteTokenStore(pool: connections),
            accounts: SQLiteAccountStore(pool: connections),
            channels: SQLiteChannelStore(pool: connections),
            videos: SQLiteVideoStore(pool: connections, counts: videoCounts),
            videoFiles: SQLiteVideoFileStore(pool: connections),
            uploads: SQLiteUploadStore(pool: connections),
            jobs: SQLiteJobStore(pool: connections, wakeups: jobWakeups),
            actorKeys: SQLiteActorKeyStore(pool: connections),
            federation: SQLiteFederationStore(pool: connections),
            comments: SQLiteCommentStore(pool: connections),
            interactions: SQLiteVideoInteractionStore(pool: connections),
            abuses: SQLiteAbuseStore(pool: connections),
            mirrors: SQLiteMirrorStore(pool: connections),
            copies: SQLiteMirrorCopyStore(pool: connections),
            instanceSettings: SQLiteInstanceSettingsStore(pool: connections),
            videoPasswords: SQLiteVideoPasswordStore(pool: connections),
            transactions: SQLiteTransactions(pool: pool)
        )
    }

    /// `PRAGMA synchronous` in force (2 is FULL), for checks.
    public func synchronous() throws -> Int {
        try pool.read { db in try Int.fetchOne(db.cachedStatement(sql: "PRAGMA synchronous")) ?? -1 }
    }

    /// The journal mode in force, for checks.
    public func journalMode() throws -> String {
        try pool.read { db in try String.fetchOne(db.cachedStatement(sql: "PRAGMA journal_mode")) ?? "" }
    }

    /// Names of the migrations applied so far.
    public func appliedMigrations() throws -> [String] {
        try pool.read { db in try Self.migrator.appliedMigrations(db) }
    }
}

extension Date {
    /// Dates are stored as Unix seconds (REAL), which sort and compare cheaply.
    var databaseValue: Double { timeIntervalSince1970 }
    init(databaseValue: Double) { self.init(timeIntervalSince1970: databaseValue) }
}

extension DatabaseError {
    /// Maps a uniqueness violation to a public conflict.
    static func mapConstraint<T>(_ message: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw HerdError(.conflict, message, cause: error.description)
        }
    }
}
