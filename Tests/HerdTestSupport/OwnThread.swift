import Foundation
import Synchronization
import Testing

/// Runs each test of a suite on a thread of its own instead of the cooperative pool.
///
/// Swift Testing calls a synchronous test function on one of the cooperative pool's threads, and there are as
/// many of those as cores (two on CI). A test that waits for a child process, a socket or a transcode holds its
/// thread for seconds, and two of them stall every asynchronous test of the run: the in-process servers stop
/// answering and unrelated requests time out. With this trait the test's task prefers a `ThreadExecutor`, so its
/// synchronous body blocks that thread only; task locals (the current test, for `#expect`) come along.
public struct OwnThread: TestTrait, SuiteTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        guard testCase != nil else { return try await function() }
        let executor = ThreadExecutor(name: test.name)
        defer { executor.stop() }
        try await withTaskExecutorPreference(executor) { try await function() }
    }
}

/// Runs blocking `work` (a child process, a socket) from an asynchronous test on a thread of its own, keeping the
/// test's task locals; see `OwnThread`.
public func onOwnThread<T: Sendable>(_ name: String = "blocking", _ work: @Sendable () throws -> T) async throws -> T {
    let executor = ThreadExecutor(name: name)
    defer { executor.stop() }
    return try await withTaskExecutorPreference(executor) { try work() }
}

/// Waits for asynchronous `work` from a blocking test (one on its own thread, see `OwnThread`).
public func runBlocking<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
    let result = Mutex<Result<T, any Error>?>(nil)
    let done = DispatchSemaphore(value: 0)
    Task {
        let value: Result<T, any Error>
        do { value = .success(try await work()) } catch { value = .failure(error) }
        result.withLock { $0 = value }
        done.signal()
    }
    done.wait()
    return try result.withLock { $0! }.get()
}

extension Trait where Self == OwnThread {
    /// Each test on a thread of its own (see `OwnThread`): for suites whose tests block.
    public static var ownThread: Self { OwnThread() }
}

/// A task executor with one thread that runs its jobs in order until stopped.
public final class ThreadExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var stopped = false

    public init(name: String) {
        let thread = Thread { [self] in run() }
        thread.name = String(name.prefix(15))
        thread.start()
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Ends the thread once the queued jobs have run.
    public func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }

    private func run() {
        while let job = next() { job.runSynchronously(on: asUnownedTaskExecutor()) }
    }

    private func next() -> UnownedJob? {
        condition.lock()
        defer { condition.unlock() }
        while jobs.isEmpty, !stopped { condition.wait() }
        return jobs.isEmpty ? nil : jobs.removeFirst()
    }
}
