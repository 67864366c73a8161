import Foundation
import HerdCore
import HerdFederation

/// `activitypub-http-unicast`: signs an activity with its actor's key and POSTs it to one inbox. A host that fails
/// is retried with exponential backoff (up to an hour apart) for about two and a half days; a refusal that
/// retrying cannot change (4xx, a private address) ends the job as failed, with the reason. `DeliveryGate` limits
/// deliveries per host and holds back those to hosts marked unreachable (one probe at a time).
public struct DeliverActivityJob: JobHandler {
    public var kind: String { DeliverActivityPayload.kind.rawValue }
    public var maxAttempts: Int { Outbox.maxAttempts }
    let actors: LocalActors
    let client: any ActivityPubDeliverer
    let gate: DeliveryGate
    let metrics: ProcessingMetrics

    public init(
        actors: LocalActors, client: any ActivityPubDeliverer, gate: DeliveryGate,
        metrics: ProcessingMetrics = ProcessingMetrics()
    ) {
        self.metrics = metrics
        self.actors = actors
        self.client = client
        self.gate = gate
    }

    struct HostUnreachable: Error, CustomStringConvertible {
        var host: String
        var since: Date
        var description: String { "\(host) is marked unreachable since \(since); retried later" }
    }

    public func run(_ job: Job, progress: JobProgress) async throws {
        let delivery = try DeliverActivityPayload(of: job)
        guard let actor = delivery.signerActor else {
            throw JobFailure.permanent("the signing actor \(delivery.signer) is not a local actor")
        }
        let signer: FederationSigner
        do {
            signer = try await actors.signer(for: actor)
        } catch let error as HerdError where error.kind == .notFound {
            throw JobFailure.permanent(error.publicMessage)
        }
        let host = URLParts(delivery.inbox)?.authority ?? delivery.inbox
        var waited = 0
        admission: while true {
            switch await gate.admit(host) {
            case .send: break admission
            case .unreachable(let since):
                metrics.delivery(host: host, result: "deferred")
                throw HostUnreachable(host: host, since: since)
            case .busy:
                // Others are being delivered to this host: wait for a slot, a while at most.
                waited += 1
                if waited > 600 {
                    metrics.delivery(host: host, result: "deferred")
                    throw HostUnreachable(host: host, since: Date())
                }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        do {
            try await client.deliver(Array(delivery.activity.utf8), to: delivery.inbox, signer: signer)
            await gate.finish(host, succeeded: true)
            metrics.delivery(host: host, result: "delivered")
        } catch let error as any DeliveryFailure where !error.retryable {
            // The host answered (or was refused here): it is reachable, this activity is not wanted.
            await gate.finish(host, succeeded: true)
            metrics.delivery(host: host, result: "refused")
            throw JobFailure.permanent("\(delivery.inbox): \(error)")
        } catch {
            await gate.finish(host, succeeded: false)
            metrics.delivery(host: host, result: "failed")
            throw error
        }
    }
}
