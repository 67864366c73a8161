import Foundation

/// What delivery knows about each remote host: how many deliveries run to it now, and whether it keeps failing.
/// Pure: the delivery job asks `admit` before sending and reports with `finish`.
///
/// - At most `perHostConcurrency` deliveries run to one host at a time, so a slow instance cannot take every
///   delivery worker.
/// - After `unreachableAfter` failures in a row a host is marked unreachable: deliveries to it are not attempted
///   (their jobs keep their own backoff and stay queued) except one probe per `probeInterval`, doubling up to
///   `maxProbeInterval`. Any success marks it reachable again. Nothing is dropped: each job still runs out its
///   retry horizon of days.
public struct DeliveryHosts: Sendable {
    public struct Limits: Sendable, Equatable {
        public var perHostConcurrency: Int
        public var unreachableAfter: Int
        public var probeInterval: TimeInterval
        public var maxProbeInterval: TimeInterval

        public init(
            perHostConcurrency: Int = 4, unreachableAfter: Int = 5, probeInterval: TimeInterval = 60,
            maxProbeInterval: TimeInterval = 3600
        ) {
            self.perHostConcurrency = perHostConcurrency
            self.unreachableAfter = unreachableAfter
            self.probeInterval = probeInterval
            self.maxProbeInterval = maxProbeInterval
        }
    }

    public struct Host: Sendable, Equatable {
        public var running = 0
        public var consecutiveFailures = 0
        public var unreachableSince: Date?
        public var nextProbe: Date?
        public var probeInterval: TimeInterval = 0
    }

    public enum Admission: Sendable, Equatable {
        case send
        /// The host already has its share of deliveries running: try again shortly.
        case busy
        /// Marked unreachable and not due for a probe: the job waits for its next retry.
        case unreachable(since: Date)
    }

    /// A change worth logging.
    public enum Change: Sendable, Equatable {
        case markedUnreachable(host: String, failures: Int)
        case reachableAgain(host: String)
    }

    public let limits: Limits
    public private(set) var hosts: [String: Host] = [:]

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    public mutating func admit(_ host: String, now: Date) -> Admission {
        var state = hosts[host] ?? Host()
        if let since = state.unreachableSince {
            guard let probe = state.nextProbe, now >= probe, state.running == 0 else {
                return .unreachable(since: since)
            }
            // One probe at a time: the next is scheduled now, and moved when this one finishes.
            state.nextProbe = now.addingTimeInterval(state.probeInterval)
        } else if state.running >= limits.perHostConcurrency {
            return .busy
        }
        state.running += 1
        hosts[host] = state
        return .send
    }

    /// After an admitted delivery: `succeeded` false for failures that say the host is unwell (timeouts,
    /// refused connections, 5xx), not for refusals of one activity.
    public mutating func finish(_ host: String, succeeded: Bool, now: Date) -> Change? {
        var state = hosts[host] ?? Host()
        state.running = max(0, state.running - 1)
        defer { hosts[host] = state.running == 0 && state.consecutiveFailures == 0 ? nil : state }
        if succeeded {
            let wasUnreachable = state.unreachableSince != nil
            state.consecutiveFailures = 0
            state.unreachableSince = nil
            state.nextProbe = nil
            state.probeInterval = 0
            return wasUnreachable ? .reachableAgain(host: host) : nil
        }
        state.consecutiveFailures += 1
        if state.unreachableSince != nil {
            state.probeInterval = min(limits.maxProbeInterval, state.probeInterval * 2)
            state.nextProbe = now.addingTimeInterval(state.probeInterval)
            return nil
        }
        guard state.consecutiveFailures >= limits.unreachableAfter else { return nil }
        state.unreachableSince = now
        state.probeInterval = limits.probeInterval
        state.nextProbe = now.addingTimeInterval(limits.probeInterval)
        return .markedUnreachable(host: host, failures: state.consecutiveFailures)
    }

    /// Hosts marked unreachable, with since when.
    public var unreachable: [String: Date] {
        hosts.compactMapValues(\.unreachableSince)
    }
}
