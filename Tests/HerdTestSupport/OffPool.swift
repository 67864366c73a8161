import Foundation

/// Runs blocking test code (waiting for a child process, raw sockets, curl) on a thread of its own, so it never
/// holds one of the cooperative pool's threads: on 2 cores the pool has two, and a test blocking both stalls every
/// async test of the suite.
public func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try work() }) }
        thread.start()
    }
}

/// The built `herd` executable next to the test bundle (`swift build --build-tests` makes both).
public enum BuiltHerd {
    public static var path: String {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        var directory = bundle.deletingLastPathComponent()
        if directory.lastPathComponent.hasSuffix(".xctest") { directory = directory.deletingLastPathComponent() }
        return directory.appendingPathComponent("herd").path
    }
}
