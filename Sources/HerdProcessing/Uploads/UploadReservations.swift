import Foundation
import Synchronization

/// Quota held by uploads still streaming in one request (`POST /api/v1/videos/upload`): their size is not on disk
/// yet, so without this two uploads at once could each fit the quota and together pass it (issue 14). Resumable
/// sessions reserve theirs in the database.
public final class UploadReservations: Sendable {
    private let held = Mutex<[Int64: (userId: Int64, bytes: Int64)]>([:])
    private let next = Atomic<Int64>(0)

    public init() {}

    /// Holds `bytes` for `userId` until `release`; returns the reservation's id.
    public func reserve(userId: Int64, bytes: Int64) -> Int64 {
        let id = next.add(1, ordering: .relaxed).newValue
        held.withLock { $0[id] = (userId, bytes) }
        return id
    }

    public func release(_ id: Int64) {
        _ = held.withLock { $0.removeValue(forKey: id) }
    }

    /// Bytes the user's other uploads in flight hold.
    public func reserved(userId: Int64, excluding id: Int64?) -> Int64 {
        held.withLock { held in
            held.reduce(Int64(0)) { sum, entry in
                entry.key != id && entry.value.userId == userId ? sum + entry.value.bytes : sum
            }
        }
    }
}
