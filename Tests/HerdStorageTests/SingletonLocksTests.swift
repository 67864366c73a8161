import Foundation
import HerdCore
import HerdPostgres
import HerdTestSupport
import PostgresNIO
import Testing

/// Periodic rounds that one node of several runs at a time take a PostgreSQL advisory lock (issue 18).
@Suite("Singleton locks across nodes", .timeLimit(.minutes(2)))
struct SingletonLocksTests {
    @Test(
        """
        while one node runs a round the other skips it (other rounds run); the lock is released after the round, \
        after a round that failed, and when the holder's connection dies
        """)
    func exclusive() async throws {
        let database = try await PostgresTestServer.shared.database()
        defer { Task { await database.drop() } }
        let (one, two) = try (
            PostgresStorage(url: database.url, pool: 2, logger: PostgresTestServer.quietLogger),
            PostgresStorage(url: database.url, pool: 2, logger: PostgresTestServer.quietLogger)
        )
        let running = [Task { await one.run() }, Task { await two.run() }]
        defer { for task in running { task.cancel() } }
        let (locksOne, locksTwo) = (one.stores.singletons, two.stores.singletons)

        // Node one is inside the round until `release` is finished.
        let started = AsyncStream<Void>.makeStream()
        let release = AsyncStream<Void>.makeStream()
        let holder = Task {
            try await locksOne.alone("janitor") {
                started.continuation.yield()
                for await _ in release.stream {}
                return 1
            }
        }
        var iterator = started.stream.makeAsyncIterator()
        await iterator.next()
        #expect(try await locksTwo.alone("janitor") { 2 } == nil)
        #expect(try await locksTwo.alone("reaper") { 3 } == 3)
        release.continuation.finish()
        #expect(try await holder.value == 1)
        #expect(try await locksTwo.alone("janitor") { 4 } == 4)

        // A round that throws releases the lock too.
        struct Failed: Error {}
        await #expect(throws: Failed.self) { try await locksOne.alone("janitor") { throw Failed() } }
        #expect(try await locksTwo.alone("janitor") { 5 } == 5)

        // A process that dies holding the lock (a third node, one connection): its connection closes, PostgreSQL
        // releases the lock.
        let three = try PostgresStorage(url: database.url, pool: 1, logger: PostgresTestServer.quietLogger)
        let third = Task { await three.run() }
        let taken = try await three.client.query("SELECT pg_try_advisory_lock(hashtext('herd:janitor'))")
            .collect().first?.decode(Bool.self)
        try #require(taken == true)
        #expect(try await locksTwo.alone("janitor") { 6 } == nil)
        third.cancel()
        await third.value
        // The server drops the lock when it sees the connection go; the next round after that runs.
        var ran: Int?
        for _ in 0..<200 where ran == nil {
            ran = try await locksTwo.alone("janitor") { 7 }
            if ran == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(ran == 7)
    }

    @Test("one process alone (SQLite): every round runs")
    func unshared() async throws {
        let locks = UnsharedSingletonLocks()
        #expect(try await locks.alone("janitor") { 1 } == 1)
        #expect(try await locks.alone("janitor") { try await locks.alone("janitor") { 2 } } == 2)
    }
}
