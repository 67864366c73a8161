import Foundation
import HerdTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The built `herd` executable next to the test bundle (`swift build` makes it; the test command runs both).
enum HerdBinary {
    static var path: String { BuiltHerd.path }

    /// Runs `herd` with arguments to completion, returning exit code and output.
    static func run(_ arguments: [String], environment: [String: String] = [:], directory: String? = nil) throws
        -> (status: Int32, output: String)
    {
        try Subprocess.run(path, arguments, environment: environment, directory: directory)
    }
}

/// A `herd serve` process on a free loopback port (or another command, such as `herd worker`), with its output in a
/// file.
final class ServerProcess {
    let process = Process()
    private var exit: ProcessExit!
    /// The process id of the running `herd`.
    var pid: pid_t { exit.pid }
    let port: Int
    let host: String
    let logPath: String
    private let ready: String

    /// - Parameter host: the address to listen on and to publish in links (loopback unless a test needs another).
    /// - Parameter waits: wait until it is listening (else the caller watches `output` and `exitStatus`).
    /// - Parameter command: `herd`'s arguments, and the line its log shows once it is ready.
    init(
        directory: String, environment: [String: String] = [:], port: Int? = nil, host: String = "127.0.0.1",
        waits: Bool = true, command: (arguments: [String], ready: String) = (["serve"], "Herd is listening")
    ) throws {
        ready = command.ready
        self.host = host
        self.port = try port ?? Self.freePort(host: host)
        logPath = directory + "/server-\(UUID().uuidString).log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.executableURL = URL(fileURLWithPath: HerdBinary.path)
        process.arguments = command.arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = ProcessInfo.processInfo.environment.merging(
            [
                "HERD_LISTEN_HOSTNAME": host, "HERD_LISTEN_PORT": String(self.port), "HERD_WEBSERVER_HOSTNAME": host,
                "HERD_WEBSERVER_PORT": String(self.port), "HERD_P2P_SEEDER_PORT": "0",
                // A killed server's jobs go back to the queue 5 s after its last heartbeat, not a minute.
                "HERD_JOBS_LEASE_DURATION": "5s",
                "HERD_DATABASE_URL": try TestDatabases.urlWaiting(for: directory),
            ].merging(try TestObjectStorage.environment(for: directory)) { $1 }.merging(environment) { $1 }
        ) { $1 }
        process.standardOutput = log
        process.standardError = log
        exit = try ProcessExit(starting: process)
        if waits { try waitUntilListening() }
    }

    /// Its exit status once it has ended within `seconds`, else nil.
    func exitStatus(within seconds: TimeInterval) -> Int32? { exit.wait(seconds: seconds) }

    func signal(_ number: Int32) { kill(pid, number) }

    /// The CPU time it has used so far (user and system, from /proc/<pid>/stat), in seconds.
    var cpuSeconds: Double {
        // utime and stime are the 14th and 15th fields of the line.
        let fields = Self.statFields(pid)
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Each thread's name and time slice in nanoseconds (`se.slice` in /proc/<pid>/task/<tid>/sched, Linux 6.6+).
    var threadSlices: [(name: String, slice: Int)] {
        let tasks = "/proc/\(pid)/task"
        return ((try? FileManager.default.contentsOfDirectory(atPath: tasks)) ?? []).compactMap { tid in
            guard let name = try? String(contentsOfFile: "\(tasks)/\(tid)/comm", encoding: .utf8),
                let sched = try? String(contentsOfFile: "\(tasks)/\(tid)/sched", encoding: .utf8),
                let line = sched.split(separator: "\n").first(where: { $0.hasPrefix("se.slice") }),
                let slice = line.split(separator: ":").last.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) })
            else { return nil }
            return (name.trimmingCharacters(in: .whitespacesAndNewlines), slice)
        }
    }

    /// The files mapped into the server's address space, and into each of its children's (from /proc/<pid>/maps).
    var mappedFiles: String { Self.maps(pid) }
    var childrenMappedFiles: [String] {
        let me = pid
        let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.compactMap { Int32($0) } ?? []
        return pids.filter { pid in
            // The parent's pid is the 4th field of the line.
            let fields = Self.statFields(pid)
            return fields.count > 1 && Int32(fields[1]) == me
        }.map(Self.maps)
    }

    /// The fields of /proc/<pid>/stat after the command's closing parenthesis (the state is the first).
    private static func statFields(_ pid: Int32) -> [Substring] {
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        return stat.split(separator: ")").last?.split(separator: " ") ?? []
    }

    private static func maps(_ pid: Int32) -> String {
        // Read to the end: String(contentsOfFile:) stops after the first page of a /proc file (it reports no size).
        let data = FileHandle(forReadingAtPath: "/proc/\(pid)/maps")?.readDataToEndOfFile() ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    var baseURL: String { "http://\(host):\(port)" }
    var output: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Waits until the log holds `text` (at least `count` times): true once it does, false if the server ends or
    /// `seconds` pass first.
    func waitForOutput(_ text: String, count: Int = 1, within seconds: TimeInterval = 10) -> Bool {
        let deadline = Date() + seconds
        while Date() < deadline, !exit.hasExited {
            if occurrences(of: text) >= count { return true }
            usleep(20_000)
        }
        return occurrences(of: text) >= count
    }

    /// How many times the log holds `text`.
    func occurrences(of text: String) -> Int { output.components(separatedBy: text).count - 1 }

    /// Waits until the server has logged two more `line`s than it had when called: a periodic task that logs `line`
    /// once per round has then run one whole round since (the first may have been under way already).
    func waitForTwoMore(_ line: String, within seconds: TimeInterval = 30) -> Bool {
        waitForOutput(line, count: occurrences(of: line) + 2, within: seconds)
    }

    func waitUntilListening() throws {
        if waitForOutput(ready, within: 60) { return }
        throw exit.hasExited ? ServerError.exited(output) : ServerError.timeout(output)
    }

    /// SIGKILL: no chance to clean up, as in a crash.
    func kill9() {
        kill(pid, SIGKILL)
        exit.wait()
    }

    func stop() {
        if !exit.hasExited {
            kill(pid, SIGTERM)
            exit.wait()
        }
    }

    enum ServerError: Error { case exited(String), timeout(String) }

    static func freePort(host: String = "127.0.0.1") throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr(host)
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw ServerError.exited("cannot find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// curl, a real third-party HTTP client.
enum Curl {
    static func run(_ arguments: [String]) throws -> (status: Int, headers: String, body: String) {
        let headerFile = FileManager.default.temporaryDirectory.appendingPathComponent("curl-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: headerFile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-s", "-D", headerFile, "-o", "-", "-w", "\n%{http_code}"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        let exit = try ProcessExit(starting: process)
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        exit.wait()
        var text = String(decoding: data, as: UTF8.self)
        let statusLine = text.split(separator: "\n").last.map(String.init) ?? "0"
        text = String(text.dropLast(statusLine.count + 1))
        return (Int(statusLine) ?? 0, (try? String(contentsOfFile: headerFile, encoding: .utf8)) ?? "", text)
    }

    static func json(_ body: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any], "not JSON: \(body)")
    }

    static func header(_ name: String, in headers: String) -> String? {
        for line in headers.split(separator: "\r\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == name.lowercased() {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    /// Logs in with the password grant, the way PeerTube clients do.
    static func login(_ base: String, _ username: String, _ password: String) throws -> String {
        let client = try json(try run([base + "/api/v1/oauth-clients/local"]).body)
        let token = try run([
            "-X", "POST", base + "/api/v1/users/token", "--data-urlencode", "client_id=\(client["client_id"]!)",
            "--data-urlencode", "client_secret=\(client["client_secret"]!)", "--data-urlencode", "grant_type=password",
            "--data-urlencode", "username=\(username)", "--data-urlencode", "password=\(password)",
        ])
        #expect(token.status == 200, "\(token.body)")
        return try #require(try json(token.body)["access_token"] as? String)
    }
}
