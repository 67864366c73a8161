import Foundation
import HerdJobs
import HerdMedia

/// The figures stored with a transcoding job's progress.
struct ProgressDetail: Encodable, Sendable {
    var fps: Double
    var eta: Double?
}

/// Runs blocking FFmpeg work on a thread of its own, never on the event loops or the cooperative pool.
enum MediaThread {
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try work() }) }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// Like `run`, passing a progress callback whose reports reach the job record.
    static func run<T: Sendable>(
        progress: JobProgress, _ work: @escaping @Sendable (_ report: (TranscodeProgress) -> Void) throws -> T
    ) async throws -> T {
        let reports = AsyncStream<TranscodeProgress>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let forwarding = Task {
            for await report in reports.stream {
                await progress.report(percent: report.percent, detail: ProgressDetail(fps: report.fps, eta: report.eta))
            }
        }
        defer { forwarding.cancel() }
        let result = try await run { () throws -> T in
            defer { reports.continuation.finish() }
            return try work { reports.continuation.yield($0) }
        }
        await forwarding.value
        return result
    }
}
