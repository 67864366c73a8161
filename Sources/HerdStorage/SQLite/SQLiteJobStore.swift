import Foundation
import GRDB
import HerdCore

struct SQLiteJobStore: JobStore {
    let pool: SQLiteConnections

    func enqueue(kind: String, payload: Data, runAfter: Date, maxAttempts: Int) async throws -> Job {
        try await pool.write { db in
            let now = Date(databaseValue: Date().databaseValue)
            try db.execute(
                sql: """
                    INSERT INTO jobs (kind, payload, state, attempts, max_attempts, run_after, created_at, updated_at)
                    VALUES (?, ?, 'pending', 0, ?, ?, ?, ?)
                    """,
                arguments: [
                    kind, payload, maxAttempts, runAfter.databaseValue, now.databaseValue, now.databaseValue,
                ]
            )
            return Job(
                id: db.lastInsertedRowID, kind: kind, payload: payload, state: .pending, attempts: 0,
                maxAttempts: maxAttempts, runAfter: Date(databaseValue: runAfter.databaseValue), createdAt: now,
                updatedAt: now
            )
        }
    }

    func claimNext(kinds: [String], now: Date) async throws -> Job? {
        guard !kinds.isEmpty else { return nil }
        let marks = Array(repeating: "?", count: kinds.count).joined(separator: ",")
        var arguments = StatementArguments([now.databaseValue])
        arguments += StatementArguments(kinds)
        let dueArguments = arguments
        // Idle workers poll often: look with a cheap read first, and only take the write lock when a job is due.
        let anyDue = try await pool.readHere { db in
            try Bool.fetchOne(
                db.cachedStatement(
                    sql:
                        "SELECT EXISTS (SELECT 1 FROM jobs WHERE state = 'pending' AND run_after <= ? AND kind IN (\(marks)))"
                ),
                arguments: dueArguments
            ) ?? false
        }
        guard anyDue else { return nil }
        return try await pool.write { db in
            guard
                let id = try Int64.fetchOne(
                    db.cachedStatement(
                        sql: """
                            SELECT id FROM jobs WHERE state = 'pending' AND run_after <= ? AND kind IN (\(marks))
                            ORDER BY run_after, id LIMIT 1
                            """),
                    arguments: dueArguments
                )
            else { return nil }
            try db.execute(
                sql: """
                    UPDATE jobs SET state = 'running', attempts = attempts + 1, started_at = ?, updated_at = ?,
                        progress = 0
                    WHERE id = ?
                    """,
                arguments: [now.databaseValue, now.databaseValue, id]
            )
            return try db.cachedStatement(sql: "SELECT * FROM jobs WHERE id = ?").decodeOne(
                arguments: [id], Self.job(row:))
        }
    }

    func save(_ job: Job) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE jobs SET state = ?, attempts = ?, run_after = ?, progress = ?, progress_detail = ?,
                        last_error = ?, updated_at = ?, started_at = ?, finished_at = ?
                    WHERE id = ?
                    """,
                arguments: [
                    job.state.rawValue, job.attempts, job.runAfter.databaseValue, job.progress, job.progressDetail,
                    job.lastError, job.updatedAt.databaseValue, job.startedAt?.databaseValue,
                    job.finishedAt?.databaseValue, job.id,
                ]
            )
        }
    }

    func updateProgress(id: Int64, progress: Double, detail: Data?, now: Date) async throws {
        try await pool.write { db in
            try db.execute(
                sql:
                    "UPDATE jobs SET progress = ?, progress_detail = ?, updated_at = ? WHERE id = ? AND state = 'running'",
                arguments: [progress, detail, now.databaseValue, id]
            )
        }
    }

    func find(id: Int64) async throws -> Job? {
        try await pool.readHere { db in
            try db.cachedStatement(sql: "SELECT * FROM jobs WHERE id = ?").decodeOne(arguments: [id], Self.job(row:))
        }
    }

    func list(state: Job.State?, kind: String?, pagination: Pagination) async throws -> Page<Job> {
        try await pool.readHere { db in
            var conditions: [String] = []
            var arguments = StatementArguments()
            if let state {
                conditions.append("state = ?")
                arguments += [state.rawValue]
            }
            if let kind {
                conditions.append("kind = ?")
                arguments += [kind]
            }
            let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
            let total =
                try Int.fetchOne(
                    db.cachedStatement(sql: "SELECT COUNT(*) FROM jobs" + whereClause), arguments: arguments) ?? 0
            let jobs = try db.cachedStatement(
                sql: "SELECT * FROM jobs" + whereClause + " ORDER BY id DESC LIMIT ? OFFSET ?"
            ).decodeAll(arguments: arguments + [pagination.count, pagination.start], Self.job(row:))
            return Page(total: total, data: jobs)
        }
    }

    func requeueInterrupted(now: Date) async throws -> Int {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE jobs SET state = 'pending', run_after = ?, updated_at = ?, progress = NULL,
                        last_error = 'interrupted by a restart'
                    WHERE state = 'running'
                    """,
                arguments: [now.databaseValue, now.databaseValue]
            )
            return db.changesCount
        }
    }

    func latest(kind: String, payloadContaining key: String) async throws -> Job? {
        try await pool.readHere { db in
            try db.cachedStatement(
                sql:
                    "SELECT * FROM jobs WHERE kind = ? AND instr(CAST(payload AS TEXT), ?) > 0 ORDER BY id DESC LIMIT 1"
            ).decodeOne(arguments: [kind, key], Self.job(row:))
        }
    }

    static func job(row: Row) -> Job {
        let started: Double? = row["started_at"]
        let finished: Double? = row["finished_at"]
        return Job(
            id: row["id"], kind: row["kind"], payload: row["payload"],
            state: Job.State(rawValue: row["state"]) ?? .failed, attempts: row["attempts"],
            maxAttempts: row["max_attempts"], runAfter: Date(databaseValue: row["run_after"]),
            progress: row["progress"], progressDetail: row["progress_detail"], lastError: row["last_error"],
            createdAt: Date(databaseValue: row["created_at"]), updatedAt: Date(databaseValue: row["updated_at"]),
            startedAt: started.map(Date.init(databaseValue:)), finishedAt: finished.map(Date.init(databaseValue:))
        )
    }
}
