import CoreMetrics
import HerdCore

/// What the job workers and the reaper report (Prometheus names, README "Metrics"): attempts by kind and outcome,
/// their durations, and leases that expired. The factory is the process's (`PrometheusMetricsFactory`) or none.
public struct JobMetrics: Sendable {
    let factory: any MetricsFactory

    public init(factory: any MetricsFactory = NOOPMetricsHandler.instance) {
        self.factory = factory
    }

    /// An attempt ended: `completed`, `retry`, `failed`, `lease_lost` or `released` (handed back at shutdown).
    func attempt(kind: String, outcome: String, elapsed: Duration) {
        Counter(label: "herd_job_attempts_total", dimensions: [("kind", kind), ("outcome", outcome)], factory: factory)
            .increment()
        Timer(label: "herd_job_duration_seconds", dimensions: [("kind", kind)], factory: factory)
            .recordNanoseconds(elapsed.nanoseconds)
    }

    /// A job whose holder stopped renewing its lease went back to the queue.
    func leaseExpired(_ job: Job) {
        Counter(label: "herd_job_lease_expiries_total", dimensions: [("kind", job.kind)], factory: factory).increment()
    }
}
