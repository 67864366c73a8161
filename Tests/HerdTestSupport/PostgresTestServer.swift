import Foundation
import HerdPostgres
import Logging
import PostgresNIO

/// A throwaway PostgreSQL 15 (Debian's `postgresql-15`) on loopback for the tests of this process: started on first
/// use, with the schema migrated once into a template database that each test's database copies (~0.1 s), and
/// stopped when the process exits.
public actor PostgresTestServer {
    public static let shared = PostgresTestServer()

    static let binaries = "/usr/lib/postgresql/15/bin"
    static let template = "herd_template"

    private var port: Int?
    private var directory: String?
    private var admin: (client: PostgresStorage, task: Task<Void, Never>)?

    /// A server of its own (the shared one serves every other test): for tests that stop and restart it.
    public init() {}

    static let asRoot = getuid() == 0

    /// Runs a PostgreSQL tool as `postgres` (when root), failing with the server's log.
    static func postgres(_ tool: String, directory: String, _ arguments: [String]) throws {
        let command = asRoot ? "/usr/sbin/runuser" : binaries + "/" + tool
        let all = asRoot ? ["-u", "postgres", "--", binaries + "/" + tool] + arguments : arguments
        // posix_spawn and waitpid, not Foundation's Process: the server that pg_ctl leaves running inherits the
        // descriptor Process watches for its child's end, so Process never sees pg_ctl exit.
        let status = try spawnAndWait([command] + all)
        guard status == 0 else {
            let log = (try? String(contentsOfFile: directory + "/log", encoding: .utf8)) ?? ""
            throw PostgresTestError("\(tool) failed (\(status)): \(log.suffix(2000))")
        }
    }

    private func startServer() throws {
        guard let directory, let port else { throw PostgresTestError("the test server was never started") }
        try Self.postgres(
            "pg_ctl", directory: directory,
            [
                "-D", directory + "/data", "-l", directory + "/log", "-w", "-o",
                "-c listen_addresses=127.0.0.1 -p \(port) -k \(directory) -c fsync=off -c synchronous_commit=off "
                    + "-c full_page_writes=off -c max_connections=1000",
                "start",
            ])
    }

    /// Stops the server (its clients see their connections close), keeping its data for `restart()`.
    public func stop() throws {
        guard let directory else { throw PostgresTestError("the test server was never started") }
        try Self.postgres("pg_ctl", directory: directory, ["-D", directory + "/data", "-m", "fast", "-w", "stop"])
    }

    /// Starts a stopped server again on the same port, with the same data.
    public func restart() throws { try startServer() }

    /// Errors only: a client used at once after its `run()` was started warns that it is not running yet.
    public static let quietLogger = {
        var logger = Logger(label: "herd.test.pg")
        logger.logLevel = .error
        return logger
    }()

    /// A fresh database with Herd's schema; `drop()` it when done.
    public func database() async throws -> TestPostgresDatabase {
        do {
            return try await makeDatabase()
        } catch let error as PSQLError {
            throw PostgresTestError(String(reflecting: error))  // PSQLError's description hides the server's message
        }
    }

    /// A fresh database with no schema at all (for migration tests); `drop()` it when done.
    public func emptyDatabase() async throws -> TestPostgresDatabase {
        try await makeDatabase(template: nil)
    }

    private func makeDatabase(template: String? = PostgresTestServer.template) async throws -> TestPostgresDatabase {
        let admin = try await start()
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await Self.createDatabase(admin.client, name, template: template)
        return TestPostgresDatabase(url: try url(name), name: name, server: self)
    }

    /// `postgres://` URL of database `name` on this server.
    public func url(_ name: String) throws -> String {
        guard let port else { throw PostgresTestError("the test server is not running") }
        return "postgres://herd@127.0.0.1:\(port)/\(name)"
    }

    func drop(_ name: String) async {
        _ = try? await admin?.client.client.query(PostgresQuery(unsafeSQL: "DROP DATABASE \(name) WITH (FORCE)"))
    }

    /// The first caller starts the server; the others wait for the same start (the actor lets them in while it runs).
    private var starting: Task<PostgresStorage, any Error>?

    private func start() async throws -> PostgresStorage {
        if let starting { return try await starting.value }
        let task = Task { try await launch() }
        starting = task
        return try await task.value
    }

    private func launch() async throws -> PostgresStorage {
        guard FileManager.default.isExecutableFile(atPath: Self.binaries + "/initdb") else {
            throw PostgresTestError("PostgreSQL 15 is missing: run scripts/install-deps.sh test (postgresql-15)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("herd-pg-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if Self.asRoot { _ = try Subprocess.run("/bin/chown", ["postgres:", directory]) }
        try Self.postgres(
            "initdb", directory: directory,
            ["-D", directory + "/data", "-U", "herd", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"])
        let port = try LoopbackListener().port  // free now: the listener closes at once
        self.directory = directory
        self.port = port
        try startServer()
        PostgresTestServer.stopAtExit(directory: directory)
        let client = try PostgresStorage(url: try url("postgres"), pool: 4, logger: Self.quietLogger)
        let task = Task { await client.run() }
        admin = (client, task)
        // The template: Herd's migrations applied once, by a client that is gone before any copy is made (PostgreSQL
        // copies a template only while nobody is connected to it).
        try await Self.createDatabase(client.client, Self.template, template: nil)
        let templateClient = try PostgresStorage(
            url: try url(Self.template), pool: 1, logger: Self.quietLogger)
        let templateTask = Task { await templateClient.run() }
        try await templateClient.migrate()
        templateTask.cancel()
        await templateTask.value
        return client
    }

    /// Names here are made by this file (`t_` and hex), never from outside: they cannot be bound as parameters.
    private static func createDatabase(_ client: PostgresClient, _ name: String, template: String?) async throws {
        let sql = "CREATE DATABASE \(name)" + (template.map { " TEMPLATE \($0)" } ?? "")
        // A copy fails while another session is still connected to the template (the migrating client closes its
        // connection as it stops): try again for a moment.
        for attempt in 1...50 {
            do {
                try await client.query(PostgresQuery(unsafeSQL: sql))
                return
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "55006" && attempt < 50 {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    nonisolated(unsafe) private static var stopCommands: [[String]] = []
    private static let registering = NSLock()

    /// Stops the server when the test process exits (normally, or through `exit`).
    private static func stopAtExit(directory: String) {
        let stop = [binaries + "/pg_ctl", "-D", directory + "/data", "-m", "immediate", "stop"]
        registering.lock()
        defer { registering.unlock() }
        if stopCommands.isEmpty {
            atexit {
                for command in PostgresTestServer.stopCommands {
                    _ = try? spawnAndWait(command)
                    if let data = command.firstIndex(of: "-D").map({ command[$0 + 1] }) {
                        try? FileManager.default.removeItem(atPath: (data as NSString).deletingLastPathComponent)
                    }
                }
            }
        }
        stopCommands.append(asRoot ? ["/usr/sbin/runuser", "-u", "postgres", "--"] + stop : stop)
    }
}

/// Runs `arguments` (a path and its arguments) with no output, and returns its exit status.
private func spawnAndWait(_ arguments: [String]) throws -> Int32 {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    // Nothing else of the test process: a server that lives on would hold the write end of another test's pipe to
    // its child (curl, ffmpeg), whose reader then never sees the end of it.
    closeInherited(&actions)
    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, arguments[0], &actions, nil, &argv, environ)
    guard spawned == 0 else { throw PostgresTestError("cannot start \(arguments[0]): error \(spawned)") }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    // WIFEXITED / WEXITSTATUS
    return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
}

/// One test's database on the test server.
public struct TestPostgresDatabase: Sendable {
    public let url: String
    public let name: String
    let server: PostgresTestServer

    public func drop() async {
        await server.drop(name)
    }
}

public struct PostgresTestError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
