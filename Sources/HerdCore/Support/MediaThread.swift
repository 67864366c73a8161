import Foundation

/// Runs blocking work (hashing files for torrents, probing) on a thread of its own, never on the event loops or the
/// cooperative pool. Transcoding runs in a child process (`TranscoderProcess`).
public enum MediaThread {
    public static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try work() }) }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}
