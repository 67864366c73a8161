import Foundation
import HerdCore
import PostgresNIO

struct PostgresJobStore: JobStore {
    let db: PostgresConnections
    /// Rung by `PostgresStorage`'s listener on `NOTIFY herd_jobs` (the jobs table's triggers), from any node.
    let wakeups: JobWakeups

    static let columns = """
        id, kind, payload, state, attempts, max_attempts, run_after, progress, progress_detail, last_error, created_at,
        updated_at, started_at, finished_at, locked_by, claim_token, lease_expires_at
        """

    /// `columns` of the row as it was before an UPDATE (`old` in `reapExpiredLeases`).
    static let oldColumns = columns.split(separator: ",").map {
        "old." + $0.trimmingCharacters(in: .whitespacesAndNewlines)
    }.joined(separator: ", ")

    func enqueue(kind: String, payload: Data, runAfter: Date, maxAttempts: Int) async throws -> Job {
        try Self.job(
            try await db.query(
                """
                INSERT INTO jobs (kind, payload, state, attempts, max_attempts, run_after, created_at, updated_at)
                VALUES (\(kind), \(payload), 'pending', 0, \(maxAttempts), \(runAfter), now(), now())
                RETURNING \(unescaped: Self.columns)
                """)[0])
    }

    func claimNext(kinds: [String], holder: String, lease: TimeInterval, now: Date) async throws -> Job? {
        guard !kinds.isEmpty else { return nil }
        // One short statement: the inner SELECT locks the row it picks and skips rows other claimers hold, so no two
        // workers take one job and none waits for another (FOR UPDATE SKIP LOCKED).
        return try await db.first(
            """
            UPDATE jobs SET state = 'running', attempts = attempts + 1, started_at = \(now), updated_at = \(now),
                progress = 0, locked_by = \(holder), claim_token = \(UUID()),
                lease_expires_at = \(now.addingTimeInterval(lease))
            WHERE id = (SELECT id FROM jobs WHERE state = 'pending' AND run_after <= \(now) AND kind = ANY(\(kinds))
                ORDER BY run_after, id LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING \(unescaped: Self.columns)
            """
        ).map(Self.job)
    }

    func settle(_ job: Job) async throws -> Bool {
        try await !db.query(
            """
            UPDATE jobs SET state = \(job.state.rawValue), attempts = \(job.attempts), run_after = \(job.runAfter),
                progress = \(job.progress), progress_detail = \(job.progressDetail), last_error = \(job.lastError),
                updated_at = \(job.updatedAt), started_at = \(job.startedAt), finished_at = \(job.finishedAt),
                locked_by = NULL, claim_token = NULL, lease_expires_at = NULL
            WHERE id = \(job.id) AND state = 'running' AND claim_token = \(job.lease?.token)
            RETURNING 1
            """
        ).isEmpty
    }

    func heartbeat(_ lease: JobLease, jobId: Int64, progress: Double?, detail: Data?, until: Date, now: Date)
        async throws -> Bool
    {
        try await !db.query(
            """
            UPDATE jobs SET lease_expires_at = \(until), updated_at = \(now), progress = COALESCE(\(progress), progress),
                progress_detail = CASE WHEN \(progress)::float8 IS NULL THEN progress_detail ELSE \(detail) END
            WHERE id = \(jobId) AND state = 'running' AND claim_token = \(lease.token)
            RETURNING 1
            """
        ).isEmpty
    }

    func release(_ lease: JobLease, jobId: Int64, now: Date) async throws {
        try await db.query(
            """
            UPDATE jobs SET state = 'pending', run_after = \(now), updated_at = \(now), progress = NULL,
                last_error = 'interrupted: its worker stopped', locked_by = NULL, claim_token = NULL,
                lease_expires_at = NULL
            WHERE id = \(jobId) AND state = 'running' AND claim_token = \(lease.token)
            """)
    }

    func reapExpiredLeases(now: Date) async throws -> [Job] {
        // The old row (with its lease) is returned through a self-join on the locked row.
        try await db.query(
            """
            UPDATE jobs j SET state = 'pending', run_after = \(now), updated_at = \(now), progress = NULL,
                last_error = 'interrupted: the lease of ' || COALESCE(j.locked_by, 'its worker') || ' expired',
                locked_by = NULL, claim_token = NULL, lease_expires_at = NULL
            FROM (SELECT \(unescaped: Self.columns) FROM jobs
                WHERE state = 'running' AND lease_expires_at < \(now) ORDER BY id FOR UPDATE SKIP LOCKED) old
            WHERE j.id = old.id
            RETURNING \(unescaped: Self.oldColumns)
            """
        ).map(Self.job)
    }

    func find(id: Int64) async throws -> Job? {
        try await db.first("SELECT \(unescaped: Self.columns) FROM jobs WHERE id = \(id)").map(Self.job)
    }

    func list(state: Job.State?, kind: String?, pagination: Pagination) async throws -> Page<Job> {
        let total = try await db.query(
            """
            SELECT COUNT(*) FROM jobs
            WHERE (\(state?.rawValue)::text IS NULL OR state = \(state?.rawValue))
                AND (\(kind)::text IS NULL OR kind = \(kind))
            """
        )[0].decode(Int.self)
        let jobs = try await db.query(
            """
            SELECT \(unescaped: Self.columns) FROM jobs
            WHERE (\(state?.rawValue)::text IS NULL OR state = \(state?.rawValue))
                AND (\(kind)::text IS NULL OR kind = \(kind))
            ORDER BY id DESC LIMIT \(pagination.count) OFFSET \(pagination.start)
            """
        ).map(Self.job)
        return Page(total: total, data: jobs)
    }

    func latest(kind: String, payloadContaining key: String) async throws -> Job? {
        try await db.first(
            """
            SELECT \(unescaped: Self.columns) FROM jobs
            WHERE kind = \(kind) AND position(\(key) IN convert_from(payload, 'UTF8')) > 0 ORDER BY id DESC LIMIT 1
            """
        ).map(Self.job)
    }

    func counts() async throws -> [JobCount] {
        try await db.query("SELECT kind, state, count(*) FROM jobs GROUP BY kind, state ORDER BY kind, state")
            .compactMap {
                let (kind, state, count) = try $0.decode((String, String, Int64).self)
                return Job.State(rawValue: state).map { JobCount(kind: kind, state: $0, count: Int(count)) }
            }
    }

    static func job(_ row: PostgresRow) throws -> Job {
        var cells = Cells(row)
        let id: Int64 = try cells.next()
        let kind: String = try cells.next()
        let payload: Data = try cells.next()
        let state = Job.State(rawValue: try cells.next()) ?? .failed
        return Job(
            id: id, kind: kind, payload: payload, state: state, attempts: try cells.next(),
            maxAttempts: try cells.next(), runAfter: try cells.next(), progress: try cells.next(),
            progressDetail: try cells.next(), lastError: try cells.next(), createdAt: try cells.next(),
            updatedAt: try cells.next(), startedAt: try cells.next(), finishedAt: try cells.next(),
            lease: try lease(cells: &cells))
    }

    static func lease(cells: inout Cells) throws -> JobLease? {
        let holder: String? = try cells.next()
        let token: UUID? = try cells.next()
        let expires: Date? = try cells.next()
        guard let holder, let token, let expires else { return nil }
        return JobLease(holder: holder, token: token, expiresAt: expires)
    }
}
