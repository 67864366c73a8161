import Foundation
import HerdCore
import PostgresNIO

struct PostgresJobStore: JobStore {
    let db: PostgresConnections

    static let columns = """
        id, kind, payload, state, attempts, max_attempts, run_after, progress, progress_detail, last_error, created_at,
        updated_at, started_at, finished_at
        """

    func enqueue(kind: String, payload: Data, runAfter: Date, maxAttempts: Int) async throws -> Job {
        try Self.job(
            try await db.query(
                """
                INSERT INTO jobs (kind, payload, state, attempts, max_attempts, run_after, created_at, updated_at)
                VALUES (\(kind), \(payload), 'pending', 0, \(maxAttempts), \(runAfter), now(), now())
                RETURNING \(unescaped: Self.columns)
                """)[0])
    }

    func claimNext(kinds: [String], now: Date) async throws -> Job? {
        guard !kinds.isEmpty else { return nil }
        // One statement: the inner SELECT locks the row it picks and skips rows other claimers hold (no two workers
        // take one job, none waits for another).
        return try await db.first(
            """
            UPDATE jobs SET state = 'running', attempts = attempts + 1, started_at = \(now), updated_at = \(now),
                progress = 0
            WHERE id = (SELECT id FROM jobs WHERE state = 'pending' AND run_after <= \(now) AND kind = ANY(\(kinds))
                ORDER BY run_after, id LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING \(unescaped: Self.columns)
            """
        ).map(Self.job)
    }

    func save(_ job: Job) async throws {
        try await db.query(
            """
            UPDATE jobs SET state = \(job.state.rawValue), attempts = \(job.attempts), run_after = \(job.runAfter),
                progress = \(job.progress), progress_detail = \(job.progressDetail), last_error = \(job.lastError),
                updated_at = \(job.updatedAt), started_at = \(job.startedAt), finished_at = \(job.finishedAt)
            WHERE id = \(job.id)
            """)
    }

    func updateProgress(id: Int64, progress: Double, detail: Data?, now: Date) async throws {
        try await db.query(
            """
            UPDATE jobs SET progress = \(progress), progress_detail = \(detail), updated_at = \(now)
            WHERE id = \(id) AND state = 'running'
            """)
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

    func requeueInterrupted(now: Date) async throws -> Int {
        try await db.query(
            """
            UPDATE jobs SET state = 'pending', run_after = \(now), updated_at = \(now), progress = NULL,
                last_error = 'interrupted by a restart'
            WHERE state = 'running' RETURNING 1
            """
        ).count
    }

    func latest(kind: String, payloadContaining key: String) async throws -> Job? {
        try await db.first(
            """
            SELECT \(unescaped: Self.columns) FROM jobs
            WHERE kind = \(kind) AND position(\(key) IN convert_from(payload, 'UTF8')) > 0 ORDER BY id DESC LIMIT 1
            """
        ).map(Self.job)
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
            updatedAt: try cells.next(), startedAt: try cells.next(), finishedAt: try cells.next())
    }
}
