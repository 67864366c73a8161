/// A token bucket: `capacity` tokens, refilled continuously at `rate` per second; each message takes one.
struct TokenBucket: Sendable {
    private(set) var tokens: Double
    private var refilledAt: Double

    init(capacity: Double, now: Double) {
        tokens = capacity
        refilledAt = now
    }

    /// Takes a token if there is one.
    mutating func take(now: Double, capacity: Double, rate: Double) -> Bool {
        if now > refilledAt {
            tokens = min(capacity, tokens + (now - refilledAt) * rate)
            refilledAt = now
        }
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}
