import Synchronization

/// A token bucket shared by everything that uploads media (the seeder's pieces and the web seed's files), so the
/// instance stays under `p2p.max_upload_rate` as a real uplink would. Debt is allowed: a sender reserves what it
/// is about to send and waits for the returned delay, so large blocks never starve.
///
/// Two priorities: players and the seeder `reserve` (and may run into debt); BitTorrent clients fetching the web
/// seed `tryReserve`, which only succeeds while the bucket holds spare tokens. A client that has the seeder and
/// other peers then takes its pieces from them, each piece leaving the server about once, and the web seed fills
/// in only with bandwidth nobody else wants.
public final class UploadThrottle: Sendable {
    /// Bytes per second; nil for no limit.
    public let rate: Double?
    private let burst: Double
    private let state: Mutex<(tokens: Double, updated: Double)>

    public init(bytesPerSecond: Int64?) {
        rate = bytesPerSecond.flatMap { $0 > 0 ? Double($0) : nil }
        // A quarter second of traffic may go out at once.
        burst = max(64 * 1024, (rate ?? 0) / 4)
        state = Mutex((burst, 0))
    }

    private static let origin = ContinuousClock.now

    /// Reserves `bytes` now; returns how many seconds to wait before sending them.
    public func reserve(_ bytes: Int) -> Double {
        guard rate != nil else { return 0 }
        return reserve(bytes, now: Self.seconds())
    }

    /// Low priority: takes `bytes` only if the bucket has spare tokens now (at least `bytes`, or a full burst for
    /// larger sends). False: try again later.
    public func tryReserve(_ bytes: Int) -> Bool {
        guard rate != nil else { return true }
        return tryReserve(bytes, now: Self.seconds())
    }

    public func tryReserve(_ bytes: Int, now: Double) -> Bool {
        guard let rate else { return true }
        return state.withLock { bucket in
            if bucket.updated == 0 { bucket.updated = now }
            bucket.tokens = min(burst, bucket.tokens + (now - bucket.updated) * rate)
            bucket.updated = now
            guard bucket.tokens >= min(Double(bytes), burst) else { return false }
            bucket.tokens -= Double(bytes)
            return true
        }
    }

    static func seconds() -> Double {
        let elapsed = ContinuousClock.now - origin
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18 + 1
    }

    /// Reserves `bytes` at time `now` (seconds on a monotonic clock, > 0); returns how long to wait before sending.
    public func reserve(_ bytes: Int, now: Double) -> Double {
        guard let rate else { return 0 }
        return state.withLock { bucket in
            if bucket.updated == 0 { bucket.updated = now }
            bucket.tokens = min(burst, bucket.tokens + (now - bucket.updated) * rate)
            bucket.updated = now
            bucket.tokens -= Double(bytes)
            return bucket.tokens >= 0 ? 0 : -bucket.tokens / rate
        }
    }
}
