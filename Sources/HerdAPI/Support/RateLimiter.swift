import Foundation
import HTTPTypes
import HerdCore

/// A fixed-window counter per key (usually the client's IP), for endpoints PeerTube rate-limits:
/// `POST /users/token` 15 per 5 minutes, `POST /users/register` 2 per 5 minutes (`rates_limit.*`); Herd adds the
/// inboxes and uploads.
public actor RateLimiter {
    let limit: Int
    let window: TimeInterval
    private var windows: [String: (start: Date, count: Int)] = [:]

    public init(limit: Int, window: TimeInterval) {
        self.limit = limit
        self.window = window
    }

    public init(_ rate: RateLimits.Rate) {
        self.init(limit: rate.max, window: TimeInterval(rate.window))
    }

    /// Counts one request for `key`; throws 429 with `Retry-After` (the seconds left in the window) past the limit.
    public func hit(_ key: String, now: Date = Date()) throws {
        if windows.count > 10_000 { windows = windows.filter { now.timeIntervalSince($0.value.start) < window } }
        var entry = windows[key] ?? (now, 0)
        if now.timeIntervalSince(entry.start) >= window { entry = (now, 0) }
        entry.count += 1
        windows[key] = entry
        guard entry.count <= limit else {
            let wait = max(1, Int((window - now.timeIntervalSince(entry.start)).rounded(.up)))
            throw ProblemWithHeaders(
                error: HerdError(.tooManyRequests, "too many requests, try again in \(wait) s"),
                headers: [HTTPField.Name("Retry-After")!: String(wait)])
        }
    }
}

/// One limiter per limited kind of request, shared by every router of the process.
public struct RateLimiters: Sendable {
    public let login: RateLimiter
    public let signup: RateLimiter
    public let inbox: RateLimiter
    public let uploads: RateLimiter

    public init(_ limits: RateLimits) {
        login = RateLimiter(limits.login)
        signup = RateLimiter(limits.signup)
        inbox = RateLimiter(limits.inbox)
        uploads = RateLimiter(limits.uploads)
    }
}
