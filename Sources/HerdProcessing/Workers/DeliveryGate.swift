import Foundation
import HerdCore
import HerdFederation
import Logging

/// The process's `DeliveryHosts`: per-host concurrency and unreachable hosts for every delivery job, with the
/// changes logged (a host marked unreachable is a warning; its return is a notice).
public actor DeliveryGate {
    private var hosts: DeliveryHosts
    private let clock: any WallClock
    private let logger: Logger

    public init(limits: DeliveryHosts.Limits = .init(), clock: any WallClock, logger: Logger) {
        self.hosts = DeliveryHosts(limits: limits)
        self.clock = clock
        self.logger = logger
    }

    func admit(_ host: String) -> DeliveryHosts.Admission { hosts.admit(host, now: clock.now()) }

    func finish(_ host: String, succeeded: Bool) {
        switch hosts.finish(host, succeeded: succeeded, now: clock.now()) {
        case .markedUnreachable(let host, let failures):
            logger.warning(
                "federation host marked unreachable: deliveries wait for probes",
                metadata: ["host": "\(host)", "failures": "\(failures)"])
        case .reachableAgain(let host):
            logger.notice("federation host reachable again", metadata: ["host": "\(host)"])
        case nil: break
        }
    }
}
