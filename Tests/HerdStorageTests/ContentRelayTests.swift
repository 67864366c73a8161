import Foundation
import HerdCore
import HerdPostgres
import HerdTestSupport
import PostgresNIO
import Synchronization
import Testing

/// Several nodes on one PostgreSQL database tell each other what they changed (issue 18), so that a list cached on
/// one node is cleared when another node changes a video.
@Suite("Content changes across nodes")
struct ContentRelayTests {
    @Test(
        """
        a change published on one node reaches the other node's subscribers (NOTIFY herd_content); each node's own \
        subscribers see its changes once, and a payload from nowhere is ignored
        """)
    func relay() async throws {
        let database = try await PostgresTestServer.shared.database()
        defer { Task { await database.drop() } }
        let (one, two) = try (
            PostgresStorage(url: database.url, pool: 2, listensForJobs: true, logger: PostgresTestServer.quietLogger),
            PostgresStorage(url: database.url, pool: 2, listensForJobs: true, logger: PostgresTestServer.quietLogger)
        )
        let running = [Task { await one.run() }, Task { await two.run() }]
        defer { for task in running { task.cancel() } }
        // Each node's listener rings the job wake-ups once its LISTEN is in place.
        for node in [one, two] {
            await node.stores.jobs.wakeups.wait(since: 0, upTo: .seconds(30))
            try #require(node.stores.jobs.wakeups.generation > 0)
        }
        let (first, second) = (ContentEvents(), ContentEvents())
        one.relay(first)
        two.relay(second)
        let seenByOne = AsyncStream<ContentChanged>.makeStream()
        let seenByTwo = AsyncStream<ContentChanged>.makeStream()
        first.subscribe { seenByOne.continuation.yield($0) }
        second.subscribe { seenByTwo.continuation.yield($0) }

        first.publish(.video(id: 42))
        first.publish(.instanceSettings)
        // Garbage on the channel (another program, a newer version) changes nothing.
        try await one.client.query("SELECT pg_notify('herd_content', 'x|video:not-a-number')")
        try await one.client.query("SELECT pg_notify('herd_content', 'no separator')")
        // Each change is told on its own: they may arrive in any order.
        #expect(Set(try await Self.next(2, of: seenByTwo.stream)) == [.video(id: 42), .instanceSettings])

        // The second node's change reaches the first after the first's own notifications, which it skipped: it saw
        // each of its changes once, then the second's.
        second.publish(.channel(id: 7))
        #expect(try await Self.next(3, of: seenByOne.stream) == [.video(id: 42), .instanceSettings, .channel(id: 7)])
        #expect(try await Self.next(1, of: seenByTwo.stream) == [.channel(id: 7)])
    }

    /// The next `count` elements, waiting at most a minute for them.
    static func next(_ count: Int, of stream: AsyncStream<ContentChanged>) async throws -> [ContentChanged] {
        try await withThrowingTaskGroup(of: [ContentChanged].self) { group in
            group.addTask {
                var seen: [ContentChanged] = []
                for await change in stream {
                    seen.append(change)
                    if seen.count == count { break }
                }
                return seen
            }
            group.addTask {
                try await Task.sleep(for: .seconds(60))
                return []
            }
            defer { group.cancelAll() }
            return try await group.next() ?? []
        }
    }
}
