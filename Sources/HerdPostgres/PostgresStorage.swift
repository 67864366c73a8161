import Foundation
import HerdCore
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// PostgreSQL for instances on several machines (issue 18): one `PostgresClient` (a pool of connections, run as a
/// service in the service group), every store over it, and migrations that nodes starting together apply once.
public final class PostgresStorage: Service {
    public let client: PostgresClient
    let logger: Logger
    let target: PostgresTarget
    /// Rung on every `NOTIFY herd_jobs` while the client runs, when it listens (see `listen()`).
    let jobWakeups = JobWakeups()
    let listensForJobs: Bool
    /// This process among the nodes (its own notifications come back to it and are skipped).
    let node = String(UUID().uuidString.prefix(8))
    /// List totals for a moment (`CountCache`).
    let videoCounts = CountCache()
    /// The events other nodes' changes are published to (`relay(_:)`).
    let relayed = Mutex<ContentEvents?>(nil)

    /// Checks that `url` names a PostgreSQL database (a configuration check: nothing is opened).
    public static func check(url: String) throws(PostgresURLError) {
        _ = try PostgresTarget(url: url)
    }

    /// A client for `url` (`postgres://user:password@host:port/database`), holding at most `pool` connections.
    /// - Parameter listensForJobs: a process with job workers keeps one more connection, outside the pool, that
    ///   listens for new jobs (`JobStore.wakeups`) and for the other nodes' changes (`relay(_:)`).
    public init(url: String, pool: Int = 20, listensForJobs: Bool = false, logger: Logger) throws(PostgresURLError) {
        let target = try PostgresTarget(url: url)
        self.target = target
        self.listensForJobs = listensForJobs
        var configuration = PostgresClient.Configuration(
            host: target.host, port: target.port, username: target.username, password: target.password,
            database: target.database, tls: .disable)
        configuration.options.maximumConnections = max(1, pool)
        configuration.options.minimumConnections = 0
        // Herd's statements are prepared once per connection (`PostgresNamedStatement`) and are index lookups whose
        // plan does not depend on the values bound: one generic plan each, rather than PostgreSQL planning them again
        // at every execution (its default tries custom plans first, which kept over half its CPU in the planner).
        configuration.options.additionalStartupParameters = [("plan_cache_mode", "force_generic_plan")]
        self.logger = logger
        client = PostgresClient(configuration: configuration, backgroundLogger: logger)
    }

    /// The client's own task once `start()` made it.
    private let started = Mutex<Task<Void, Never>?>(nil)

    /// Starts the client's connections at once, and the job listener beside them: the application reads and migrates
    /// before its service group runs. `run()` then keeps them until the service group stops it.
    public func start() {
        started.withLock { task in
            guard task == nil else { return }
            task = Task {
                await withDiscardingTaskGroup { group in
                    group.addTask { await self.client.run() }
                    if self.listensForJobs { group.addTask { await self.listen() } }
                }
            }
        }
    }

    /// Closes the connections (for one-off commands that started the client themselves).
    public func stop() {
        started.withLock { $0 }?.cancel()
    }

    /// As a service: keeps the pool's connections until the service group stops this service. Put it first in the
    /// group, so that it stops last, after every service that still writes.
    public func run() async {
        start()
        try? await gracefulShutdown()
        let task = started.withLock { $0 }
        task?.cancel()
        await task?.value
    }

    /// The stores over this database.
    public var stores: Stores {
        let db = PostgresConnections(client: client, logger: logger)
        return Stores(
            users: PostgresUserStore(db: db),
            tokens: PostgresTokenStore(db: db),
            accounts: PostgresAccountStore(db: db),
            channels: PostgresChannelStore(db: db),
            videos: PostgresVideoStore(db: db, counts: videoCounts),
            videoFiles: PostgresVideoFileStore(db: db),
            uploads: PostgresUploadStore(db: db),
            jobs: PostgresJobStore(db: db, wakeups: jobWakeups),
            actorKeys: PostgresActorKeyStore(db: db),
            federation: PostgresFederationStore(db: db),
            comments: PostgresCommentStore(db: db),
            interactions: PostgresVideoInteractionStore(db: db),
            abuses: PostgresAbuseStore(db: db),
            mirrors: PostgresMirrorStore(db: db),
            copies: PostgresMirrorCopyStore(db: db),
            instanceSettings: PostgresInstanceSettingsStore(db: db),
            videoPasswords: PostgresVideoPasswordStore(db: db),
            transactions: PostgresTransactions(db: db),
            singletons: PostgresSingletonLocks(db: db)
        )
    }
}

/// A `database.url` that does not name a PostgreSQL server.
public struct PostgresURLError: Error, CustomStringConvertible {
    public var description: String
}

/// Where a `postgres://` URL points.
struct PostgresTarget: Equatable, Sendable {
    var host: String
    var port: Int
    var username: String
    var password: String?
    var database: String?

    init(url: String) throws(PostgresURLError) {
        guard let components = URLComponents(string: url),
            components.scheme == "postgres" || components.scheme == "postgresql"
        else { throw PostgresURLError(description: "expected postgres://user:password@host:port/database") }
        guard let host = components.host, !host.isEmpty else {
            throw PostgresURLError(description: "the URL names no host")
        }
        guard let username = components.user, !username.isEmpty else {
            throw PostgresURLError(description: "the URL names no user")
        }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw PostgresURLError(description: "the port is out of range") }
        self.host = host
        self.port = port
        self.username = username.removingPercentEncoding ?? username
        password = components.password.map { $0.removingPercentEncoding ?? $0 }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.isEmpty ? nil : path
    }
}
