import GRDB

extension DatabasePool {
    /// A read on the calling thread (GRDB's synchronous `read`), which async code would otherwise not pick: the
    /// async `read` sends each read to a reader's dispatch queue and back, and on the API's hot paths those two
    /// thread hops cost more than the cached statement itself (issue 16: `GET /api/v1/videos/{uuid}` spent a fifth
    /// of its time waking threads). Readers never wait for writers in WAL mode, so the caller blocks only for the
    /// query. Writes stay asynchronous: they can wait for SQLite's lock.
    func readOnCaller<T>(_ body: (Database) throws -> T) throws -> T {
        try read(body)
    }
}
