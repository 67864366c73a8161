import CoreMetrics
import HerdFederation

/// What processing reports (Prometheus names, README "Metrics"): inbox activities by type and result, deliveries by
/// host and result, and how fast this process transcodes. The factory is the process's (`PrometheusMetricsFactory`)
/// or none.
public struct ProcessingMetrics: Sendable {
    let factory: any MetricsFactory

    public init(factory: any MetricsFactory = NOOPMetricsHandler.instance) {
        self.factory = factory
    }

    /// One delivery to the inbox: its type (`Follow`, `Create`, …; `other` for a type Herd does not know, `none`
    /// when refused before its body was read) and `accepted`, `duplicate`, `refused` (signature, policy, a host
    /// that is not the actor's), `invalid` or `failed`.
    func inbox(type: String, result: String) {
        Counter(
            label: "herd_inbox_activities_total", dimensions: [("type", type), ("result", result)], factory: factory
        )
        .increment()
    }

    /// One delivery attempt to another instance's inbox: `delivered`, `refused` (an answer retrying cannot change),
    /// `failed` (retried later) or `deferred` (the host is marked unreachable).
    func delivery(host: String, result: String) {
        Counter(
            label: "herd_federation_deliveries_total", dimensions: [("host", host), ("result", result)],
            factory: factory
        ).increment()
    }

    /// This process's transcoding speed, in frames per second, at the latest progress report (0 once it ends).
    func transcoding(fps: Double) {
        Gauge(label: "herd_transcoding_fps", factory: factory).record(fps)
    }
}

extension ActivityType {
    /// The type's label in metrics: its ActivityPub name, or `other` (a sender chooses the name: unbounded).
    var metricLabel: String {
        if case .other = self { return "other" }
        return name
    }
}
