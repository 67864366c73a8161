import CScheduling
import NIOCore
import NIOPosix

/// Asks the kernel for short time slices on the event loops' threads, where every request (and, with NIO as Swift
/// concurrency's executor, every task of the server) runs.
///
/// An event loop works in short bursts and sleeps in `epoll_wait`; when it wakes, it must take a core from whatever
/// holds it. Linux's EEVDF scheduler (6.12+) lets a thread ask for a shorter slice: its deadline comes sooner, so it
/// runs soon after waking, with the same share of the CPU (issue 16). On 2 cores shared with the load generator
/// (`make bench-api`), 0.3 ms slices took the cached list's p99 from 4.5–5.5 ms to 2.0–2.8 ms at the same 73,000
/// requests/s; CPU-bound routes (the uncached list) are unchanged. The same holds when the competition is a
/// transcoding child. Older kernels ignore the request.
enum EventLoopSlices {
    /// Nanoseconds; the kernel accepts 0.1–100 ms and gives 0.75 ms × (1 + log₂ cores) by default.
    static let slice: UInt64 = 300_000

    /// Applies the slice on every thread of `group`, and returns how many threads now run with it.
    @discardableResult
    static func apply(to group: MultiThreadedEventLoopGroup = .singleton) async -> Int {
        var applied = 0
        for loop in group.makeIterator() {
            let now = try? await loop.submit { () -> UInt64 in
                _ = herd_set_thread_slice(slice)
                return herd_thread_slice()
            }.get()
            if now == slice { applied += 1 }
        }
        return applied
    }
}
