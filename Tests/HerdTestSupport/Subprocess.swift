import Foundation

/// Waits for a child process through its termination handler.
///
/// Foundation's `Process.waitUntilExit()` on Linux spins the calling thread's run loop and relies on the
/// termination being delivered there; called from test threads (which are not the main thread) it can miss it
/// and park that thread forever for a child that has already exited. The suite runs hundreds of children
/// (curl, ffmpeg, herd, Python clients), so every test waits through this instead.
public final class ProcessExit: @unchecked Sendable {
    private let condition = NSCondition()
    private var status: Int32?

    /// Installs the termination handler, then starts the process (the handler must be in place before
    /// `run()`, or a child that exits at once could be missed).
    public init(starting process: Process) throws {
        process.terminationHandler = { [self] finished in
            condition.lock()
            status = finished.terminationStatus
            condition.broadcast()
            condition.unlock()
        }
        try process.run()
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
