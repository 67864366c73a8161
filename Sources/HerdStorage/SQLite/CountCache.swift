import Foundation

/// Remembers list totals for a moment. A `COUNT(*)` over every public video costs more than the page
/// itself once there are thousands; a total that is up to `lifetime` seconds old is fine for a list
/// (PeerTube lets clients skip it altogether). Writes through this process clear it at once.
final class CountCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: (total: Int, at: Date)] = [:]
    let lifetime: TimeInterval

    init(lifetime: TimeInterval = 2) {
        self.lifetime = lifetime
    }

    func total(for key: String, now: Date = Date(), compute: () throws -> Int) rethrows -> Int {
        if let entry = lock.withLock({ entries[key] }), now.timeIntervalSince(entry.at) < lifetime {
            return entry.total
        }
        let total = try compute()
        lock.withLock {
            if entries.count > 1000 { entries.removeAll() }
            entries[key] = (total, now)
        }
        return total
    }

    func invalidate() {
        lock.withLock { entries.removeAll() }
    }
}
