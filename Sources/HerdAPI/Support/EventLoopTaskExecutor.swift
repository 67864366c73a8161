import NIOCore

/// Runs a task's jobs on one event loop (`withTaskExecutorPreference`). Swift concurrency runs on NIO's loops, and a
/// task resumes on the loop that woke it: one relaying a bucket's bytes to a viewer would follow whichever loop its
/// S3 connection happens to be on, crossing to the viewer's loop for every write, and the relays of many viewers
/// pile onto one loop (86% of the server's CPU on one thread of two). Pinned to the viewer's loop, a relay's reads,
/// writes and S3 connection (AsyncHTTPClient prefers the caller's loop) share a thread, and viewers spread over the
/// loops as their connections do (issue 18).
final class EventLoopTaskExecutor: TaskExecutor {
    let loop: any EventLoop

    init(_ loop: any EventLoop) { self.loop = loop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
