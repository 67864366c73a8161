import Foundation
import HerdTranscode
import Logging
import Synchronization

/// Runs a transcoding job's media work in a child process (`herd transcode-job`, the same binary), so that a file
/// that crashes FFmpeg, runs out of memory or spins kills a child and not the server. The child limits its own
/// memory and CPU time; this side feeds it the request, relays its progress, and kills it when the job is cancelled.
public struct TranscoderProcess: MediaEngine {
    /// The `herd` executable.
    let executable: String
    let logger: Logger

    public init(executable: String, logger: Logger) {
        self.executable = executable
        self.logger = logger
    }

    /// `crashed` when the child died (a signal: a crash, SIGKILL, SIGXCPU for its CPU budget) or ended without an
    /// answer.
    public func transcode(
        _ request: MediaJob.Request, progress: @escaping @Sendable (TranscodeProgress) -> Void
    ) async throws -> TranscodeOutcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["transcode-job"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        let ended = AsyncStream<Process>.makeStream()
        process.terminationHandler = { ended.continuation.yield($0) }
        try process.run()
        logger.debug("transcoder started", metadata: ["pid": "\(process.processIdentifier)"])
        input.fileHandleForWriting.write(try JSONEncoder().encode(request))
        try? input.fileHandleForWriting.close()

        // Lines are read on a thread of their own (blocking reads), and end when the child closes its output.
        let lines = AsyncStream<MediaJob.Event>.makeStream()
        let reader = Thread {
            var pending = Data()
            let decoder = JSONDecoder()
            while true {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = pending[pending.startIndex..<newline]
                    pending = Data(pending[(newline + 1)...])
                    if let event = try? decoder.decode(MediaJob.Event.self, from: line) {
                        lines.continuation.yield(event)
                    }
                }
            }
            lines.continuation.finish()
        }
        reader.start()

        return try await withTaskCancellationHandler {
            var last: MediaJob.Event?
            for await event in lines.stream {
                if case .progress(let report) = event { progress(report) } else { last = event }
            }
            var exited: Process?
            for await finished in ended.stream {
                exited = finished
                break
            }
            try Task.checkCancellation()
            switch last {
            case .done(let duration, let results)?: return .done(duration: duration, results: results)
            case .refused(let reason)?: return .refused(reason)
            case .failed(let reason)?: return .failed(reason)
            default:
                guard let exited else { return .crashed("the transcoder vanished") }
                return .crashed(Self.describe(exited))
            }
        } onCancel: {
            // Shutting down: the child goes now (the job is queued again at the next start).
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
    }

    static func describe(_ process: Process) -> String {
        let status = process.terminationStatus
        guard process.terminationReason == .uncaughtSignal else { return "the transcoder exited with status \(status)" }
        let names: [Int32: String] = [
            SIGKILL: "killed (SIGKILL)", SIGXCPU: "over its CPU time (SIGXCPU)", SIGSEGV: "crashed (SIGSEGV)",
            SIGABRT: "aborted (SIGABRT)", SIGILL: "crashed (SIGILL)", SIGTRAP: "crashed (SIGTRAP)",
            SIGBUS: "crashed (SIGBUS)",
        ]
        return "the transcoder was " + (names[status] ?? "stopped by signal \(status)")
    }
}
