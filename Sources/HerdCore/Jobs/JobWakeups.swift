import Synchronization

/// Wakes this process's idle workers when a job may have become due: a job queued or handed back here (SQLite, after
/// its commit), or anywhere (PostgreSQL's `NOTIFY herd_jobs`, issue 18). Workers still poll now and then, for jobs that
/// become due by time (a retry's delay) and for a wake-up that was missed.
///
/// A counter closes the gap between a claim that found nothing and the wait that follows: a worker waits only while
/// the count is still the one it read before its claim.
public final class JobWakeups: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter: UInt64 = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Read before a claim; passed to `wait(since:upTo:)` after it.
    public var generation: UInt64 { state.withLock { $0.generation } }

    /// A job may be due: every waiting worker tries a claim.
    public func notify() {
        let waiting = state.withLock { state in
            state.generation &+= 1
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiting { waiter.resume() }
    }

    /// Returns at the first `notify()` after `seen` was read (at once if one came already), after `timeout`, or when
    /// the task is cancelled.
    public func wait(since seen: UInt64, upTo timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.notified(since: seen) }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
    }

    private func notified(since seen: UInt64) async {
        let id = state.withLock { state in
            defer { state.nextWaiter &+= 1 }
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let waits = state.withLock { state in
                    guard state.generation == seen, !Task.isCancelled else { return false }
                    state.waiters[id] = continuation
                    return true
                }
                if !waits { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
}
