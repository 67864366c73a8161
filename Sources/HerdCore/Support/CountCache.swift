import Foundation

/// Remembers list totals for a moment. A `COUNT(*)` over every public video costs more than the page
/// itself once there are thousands; a total that is up to `lifetime` seconds old is fine for a list
/// (PeerTube lets clients skip it altogether). Writes through this process clear it at once (another node's writes
/// show within `lifetime`). The stores of both databases keep one.
public final class CountCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: (total: Int, at: Date)] = [:]
    let lifetime: TimeInterval

    public init(lifetime: TimeInterval = 2) {
        self.lifetime = lifetime
    }

    public func total(for key: String, now: Date = Date(), compute: () throws -> Int) rethrows -> Int {
        if let total = cached(key, now: now) { return total }
        let total = try compute()
        remember(total, for: key, now: now)
        return total
    }

    public func total(for key: String, now: Date = Date(), compute: () async throws -> Int) async rethrows -> Int {
        if let total = cached(key, now: now) { return total }
        let total = try await compute()
        remember(total, for: key, now: now)
        return total
    }

    private func cached(_ key: String, now: Date) -> Int? {
        guard let entry = lock.withLock({ entries[key] }), now.timeIntervalSince(entry.at) < lifetime else {
            return nil
        }
        return entry.total
    }

    private func remember(_ total: Int, for key: String, now: Date) {
        lock.withLock {
            if entries.count > 1000 { entries.removeAll() }
            entries[key] = (total, now)
        }
    }

    public func invalidate() {
        lock.withLock { entries.removeAll() }
    }
}
