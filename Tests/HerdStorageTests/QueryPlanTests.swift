import Foundation
import GRDB
import Testing

@testable import HerdStorage

@Suite("SQLite query plans")
struct QueryPlanTests {
    /// SQLite's `EXPLAIN QUERY PLAN` details for `sql` on a fresh, migrated database.
    static func plan(_ sql: String) throws -> [String] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("herd-plan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try SQLiteDatabase(path: directory.appendingPathComponent("herd.sqlite").path)
        return try database.pool.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: [1, 1]).map { $0["detail"] as String }
        }
    }

    @Test("mirror candidates are read through the remote-videos index, never every local video")
    func mirrorCandidates() throws {
        let plan = try Self.plan(SQLiteMirrorCopyStore.candidatesSQL)
        #expect(plan.contains { $0.contains("USING INDEX videos_remote") }, "\(plan)")
    }
}
