import Foundation
import HerdCore

/// A fixed-window counter per key (usually the client's IP), for endpoints PeerTube rate-limits:
/// `POST /users/token` 15 per 5 minutes, `POST /users/register` 2 per 5 minutes.
public actor RateLimiter {
    let limit: Int
    let window: TimeInterval
    private var windows: [String: (start: Date, count: Int)] = [:]

    public init(limit: Int, window: TimeInterval) {
        self.limit = limit
        self.window = window
    }

    /// Counts one request for `key`; throws 429 past the limit.
    public func hit(_ key: String, now: Date = Date()) throws {
        if windows.count > 10_000 { windows = windows.filter { now.timeIntervalSince($0.value.start) < window } }
        var entry = windows[key] ?? (now, 0)
        if now.timeIntervalSince(entry.start) >= window { entry = (now, 0) }
        entry.count += 1
        windows[key] = entry
        guard entry.count <= limit else {
            throw HerdError(.tooManyRequests, "too many requests, try again later")
        }
    }
}
