/// One writer at a time per video for work that moves its files: a removal and a transcode's publication must not
/// interleave (a deletion arriving while the outputs are put in the store would leave them behind). In-process
/// only: several processes will need the database's row locks.
public actor VideoLocks {
    private var held: Set<Int64> = []
    private var waiting: [Int64: [CheckedContinuation<Void, Never>]] = [:]

    public init() {}

    func acquire(_ id: Int64) async {
        guard held.contains(id) else {
            held.insert(id)
            return
        }
        await withCheckedContinuation { waiting[id, default: []].append($0) }
    }

    func release(_ id: Int64) {
        guard var queue = waiting[id], !queue.isEmpty else {
            held.remove(id)
            return
        }
        let next = queue.removeFirst()
        waiting[id] = queue.isEmpty ? nil : queue
        next.resume()  // the lock passes to the next waiter
    }

    /// Runs `body` holding the video's lock.
    public nonisolated func with<T: Sendable>(_ id: Int64, _ body: () async throws -> T) async throws -> T {
        await acquire(id)
        do {
            let result = try await body()
            await release(id)
            return result
        } catch {
            await release(id)
            throw error
        }
    }
}
