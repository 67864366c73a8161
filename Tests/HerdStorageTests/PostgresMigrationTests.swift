import Foundation
import HerdCore
import HerdPostgres
import HerdTestSupport
import Testing

@Suite("PostgreSQL migrations")
struct PostgresMigrationTests {
    @Test("nodes that start together on a fresh database apply each migration exactly once")
    func concurrentMigrations() async throws {
        let test = try await PostgresTestServer.shared.emptyDatabase()
        defer { Task { await test.drop() } }
        let nodes = try (0..<4).map { _ in
            try PostgresStorage(url: test.url, pool: 2, logger: PostgresTestServer.quietLogger)
        }
        let running = nodes.map { node in Task { await node.run() } }
        defer { for task in running { task.cancel() } }
        let applied = try await withThrowingTaskGroup(of: [String].self) { group in
            for node in nodes { group.addTask { try await node.migrate() } }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let all = try await nodes[0].appliedMigrations()
        #expect(!all.isEmpty)
        // Every migration was applied by exactly one of the nodes.
        #expect(applied.sorted() == all.sorted())
        // A later start applies nothing and the schema works.
        #expect(try await nodes[1].migrate() == [])
        let user = try await nodes[2].stores.users.create(
            NewUser(username: "alice", email: "alice@example.org", passwordHash: "h", role: .user, videoQuota: -1))
        #expect(try await nodes[3].stores.users.find(usernameOrEmail: "ALICE")?.id == user.user.id)
    }

    @Test("a database URL that names no PostgreSQL server is refused with a reason")
    func badURLs() {
        for url in ["mysql://a@b/c", "postgres://", "postgres://host/db", "postgres://u@host:70000/db"] {
            #expect(throws: PostgresURLError.self, "\(url)") {
                _ = try PostgresStorage(url: url, logger: PostgresTestServer.quietLogger)
            }
        }
    }
}
