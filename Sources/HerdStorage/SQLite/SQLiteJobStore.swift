import Foundation
import GRDB
import HerdCore

struct SQLiteJobStore: JobStore {
    let pool: SQLiteConnections
    let wakeups: JobWakeups

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
            wakeWorkers(after: db)
            return Job(
                id: db.lastInsertedRowID, kind: kind, payload: payload, state: .pending, attempts: 0,
                maxAttempts: maxAttempts, runAfter: Date(databaseValue: runAfter.databaseValue), createdAt: now,
                updatedAt: now
            )
        }
    }

    func claimNext(kinds: [String], holder: String, lease: TimeInterval, now: Date) async throws -> Job? {
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
        let token = UUID().lowercasedString
        return try await pool.write { db in
            // SQLite has one writer at a time: the select and the update below are one step for every other claimer.
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
                        progress = 0, locked_by = ?, claim_token = ?, lease_expires_at = ?
                    WHERE id = ?
                    """,
                arguments: [
                    now.databaseValue, now.databaseValue, holder, token, now.addingTimeInterval(lease).databaseValue,
                    id,
                ]
            )
            return try db.cachedStatement(sql: "SELECT * FROM jobs WHERE id = ?").decodeOne(
                arguments: [id], Self.job(row:))
        }
    }

    func settle(_ job: Job) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE jobs SET state = ?, attempts = ?, run_after = ?, progress = ?, progress_detail = ?,
                        last_error = ?, updated_at = ?, started_at = ?, finished_at = ?, locked_by = NULL,
                        claim_token = NULL, lease_expires_at = NULL
                    WHERE id = ? AND state = 'running' AND claim_token = ?
                    """,
                arguments: [
                    job.state.rawValue, job.attempts, job.runAfter.databaseValue, job.progress, job.progressDetail,
                    job.lastError, job.updatedAt.databaseValue, job.startedAt?.databaseValue,
                    job.finishedAt?.databaseValue, job.id, job.lease?.token.lowercasedString,
                ]
            )
            return db.changesCount > 0
        }
    }

    func heartbeat(_ lease: JobLease, jobId: Int64, progress: Double?, detail: Data?, until: Date, now: Date)
        async throws -> Bool
    {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE jobs SET lease_expires_at = ?, updated_at = ?, progress = COALESCE(?, progress),
                        progress_detail = CASE WHEN ? IS NULL THEN progress_detail ELSE ? END
                    WHERE id = ? AND state = 'running' AND claim_token = ?
                    """,
                arguments: [
                    until.databaseValue, now.databaseValue, progress, progress, detail, jobId,
                    lease.token.lowercasedString,
                ]
            )
            return db.changesCount > 0
        }
    }

    func release(_ lease: JobLease, jobId: Int64, now: Date) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE jobs SET state = 'pending', run_after = ?, updated_at = ?, progress = NULL,
                        last_error = 'interrupted: its worker stopped', locked_by = NULL, claim_token = NULL,
                        lease_expires_at = NULL
                    WHERE id = ? AND state = 'running' AND claim_token = ?
                    """,
                arguments: [now.databaseValue, now.databaseValue, jobId, lease.token.lowercasedString]
            )
            wakeWorkers(after: db)
        }
    }

    func reapExpiredLeases(now: Date) async throws -> [Job] {
        try await pool.write { db in
            let expired = try db.cachedStatement(
                sql: "SELECT * FROM jobs WHERE state = 'running' AND lease_expires_at < ? ORDER BY id"
            ).decodeAll(arguments: [now.databaseValue], Self.job(row:))
            for job in expired {
                try db.execute(
                    sql: """
                        UPDATE jobs SET state = 'pending', run_after = ?, updated_at = ?, progress = NULL,
                            last_error = ?, locked_by = NULL, claim_token = NULL, lease_expires_at = NULL
                        WHERE id = ?
                        """,
                    arguments: [
                        now.databaseValue, now.databaseValue,
                        "interrupted: the lease of \(job.lease?.holder ?? "its worker") expired", job.id,
                    ]
                )
            }
            if !expired.isEmpty { wakeWorkers(after: db) }
            return expired
        }
    }

    /// Rings `wakeups` once the transaction that queued work commits (a worker woken before would find nothing).
    private func wakeWorkers(after db: Database) {
        db.afterNextTransaction(onCommit: { [wakeups] _ in wakeups.notify() })
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

    func latest(kind: String, payloadContaining key: String) async throws -> Job? {
        try await pool.readHere { db in
            try db.cachedStatement(
                sql:
                    "SELECT * FROM jobs WHERE kind = ? AND instr(CAST(payload AS TEXT), ?) > 0 ORDER BY id DESC LIMIT 1"
            ).decodeOne(arguments: [kind, key], Self.job(row:))
        }
    }

    func counts() async throws -> [JobCount] {
        try await pool.readHere { db in
            try Row.fetchAll(
                db, sql: "SELECT kind, state, count(*) AS n FROM jobs GROUP BY kind, state ORDER BY kind, state"
            )
            .compactMap { row in
                Job.State(rawValue: row["state"]).map { JobCount(kind: row["kind"], state: $0, count: row["n"]) }
            }
        }
    }

    static func lease(row: Row) -> JobLease? {
        guard let holder: String = row["locked_by"], let token: String = row["claim_token"],
            let expires: Double = row["lease_expires_at"], let uuid = UUID(uuidString: token)
        else { return nil }
        return JobLease(holder: holder, token: uuid, expiresAt: Date(databaseValue: expires))
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
            startedAt: started.map(Date.init(databaseValue:)), finishedAt: finished.map(Date.init(databaseValue:)),
            lease: lease(row: row)
        )
    }
}
