import Foundation
import Synchronization

/// Which known mirrors stopped answering (issue 6): a mirror whose master playlist does not answer a `HEAD` within
/// `redundancy.health_check.timeout`, twice in a row, is left out of the API's redundancies and the torrents' and
/// magnets' web seeds until it answers again. Shared by the API and the health checker.
public final class MirrorHealth: Sendable {
    /// Consecutive failures before a mirror is taken out.
    public static let failuresToRemove = 2

    private let failures = Mutex<[String: Int]>([:])

    public init() {}

    public func isUp(_ baseURL: String) -> Bool {
        failures.withLock { ($0[baseURL] ?? 0) < Self.failuresToRemove }
    }

    public func filter(_ baseURLs: [String]) -> [String] { baseURLs.filter(isUp) }

    /// Records a check; returns true when the mirror's standing (advertised or not) changed.
    @discardableResult
    public func record(_ baseURL: String, answered: Bool) -> Bool {
        failures.withLock { table in
            let before = (table[baseURL] ?? 0) < Self.failuresToRemove
            table[baseURL] = answered ? 0 : (table[baseURL] ?? 0) + 1
            return before != ((table[baseURL] ?? 0) < Self.failuresToRemove)
        }
    }

    /// Forgets mirrors no longer known.
    public func retain(_ baseURLs: Set<String>) {
        failures.withLock { table in table = table.filter { baseURLs.contains($0.key) } }
    }
}
