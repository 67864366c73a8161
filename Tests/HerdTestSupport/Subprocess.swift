import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Starts a child process described by a `Process` (executable, arguments, environment, folder, standard streams)
/// with `posix_spawn`, and waits for it on a thread of its own.
///
/// Foundation's `Process.run()` on Linux reads `/proc/self/fd` with a 256-byte copy of each directory entry, which
/// crashes the test process now and then when an entry ends a page (swift-corelibs-foundation#5472, fixed after
/// Swift 6.3.1; seen once here in `make test`'s second pass). Its `waitUntilExit()` also spins the calling thread's
/// run loop and can miss the exit of a child started off the main thread. The suite runs hundreds of children (curl,
/// ffmpeg, herd, Python clients), so every one is started and waited for here. `Process` only carries the settings.
public final class ProcessExit: @unchecked Sendable {
    private let condition = NSCondition()
    private var status: Int32?
    /// The child's process id.
    public let pid: pid_t

    /// Starts the process. Pipes given as its streams have their child's end closed here once it is started, as
    /// `Process.run()` does, so that a reader sees the end of the output when the child exits.
    public init(starting process: Process) throws {
        guard let executable = process.executableURL?.path else { throw SpawnFailure("no executable") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var childEnds: [FileHandle] = []
        for (stream, target) in [(process.standardInput, 0), (process.standardOutput, 1), (process.standardError, 2)] {
            switch stream {
            case let pipe as Pipe:
                let end = target == 0 ? pipe.fileHandleForReading : pipe.fileHandleForWriting
                posix_spawn_file_actions_adddup2(&actions, end.fileDescriptor, Int32(target))
                childEnds.append(end)
            case let handle as FileHandle:
                posix_spawn_file_actions_adddup2(&actions, handle.fileDescriptor, Int32(target))
            default:
                break  // inherited, as `Process` does
            }
        }
        if let directory = process.currentDirectoryURL?.path { changeDirectory(&actions, to: directory) }
        closeInherited(&actions)
        let environment = (process.environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        var argv: [UnsafeMutablePointer<CChar>?] = ([executable] + (process.arguments ?? [])).map { strdup($0) } + [nil]
        var envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, &argv, &envp)
        var closed: Set<Int32> = []
        for end in childEnds where closed.insert(end.fileDescriptor).inserted { try? end.close() }
        guard spawned == 0 else { throw SpawnFailure("cannot start \(executable): error \(spawned)") }
        self.pid = pid
        Thread.detachNewThread { [self, pid] in
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) == -1, errno == EINTR {}
            // As `Process.terminationStatus`: the exit code, or the number of the signal that ended it.
            let code = (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : raw & 0x7f
            condition.lock()
            status = code
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Blocks until the child has exited and returns its status.
    @discardableResult
    public func wait() -> Int32 {
        condition.lock()
        defer { condition.unlock() }
        while status == nil { condition.wait() }
        return status!
    }

    /// The status, or nil when the child is still running after `seconds`.
    public func wait(seconds: TimeInterval) -> Int32? {
        let deadline = Date() + seconds
        condition.lock()
        defer { condition.unlock() }
        while status == nil, condition.wait(until: deadline) {}
        return status
    }

    public var hasExited: Bool {
        condition.lock()
        defer { condition.unlock() }
        return status != nil
    }
}

public struct SpawnFailure: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Runs a command to completion.
public enum Subprocess {
    /// Which streams to read; `standardOutputOnly` sends standard error to /dev/null instead of inheriting it.
    public enum Capture: Sendable { case standardOutput, standardOutputOnly, standardError, both }

    /// Runs `executable` with `arguments`; returns its exit status and what it wrote to the captured streams
    /// (the others are inherited).
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], directory: String? = nil,
        capture: Capture = .both
    ) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let pipe = Pipe()
        switch capture {
        case .standardOutput: process.standardOutput = pipe
        case .standardOutputOnly:
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
        case .standardError: process.standardError = pipe
        case .both:
            process.standardOutput = pipe
            process.standardError = pipe
        }
        let exit = try ProcessExit(starting: process)
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        try? pipe.fileHandleForReading.close()
        return (exit.wait(), String(decoding: data, as: UTF8.self))
    }
}
