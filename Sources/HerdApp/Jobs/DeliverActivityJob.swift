import Foundation
import HerdAPI
import HerdCore
import HerdFederation
import HerdFederationClient
import HerdJobs

/// `activitypub-http-unicast`: signs an activity with its actor's key and POSTs it to one inbox. A host that fails
/// is retried with exponential backoff (up to an hour apart) for about two and a half days; a refusal that
/// retrying cannot change (4xx, a private address) ends the job as failed, with the reason.
struct DeliverActivityJob: JobHandler {
    var kind: String { Outbox.jobKind }
    var maxAttempts: Int { Outbox.maxAttempts }
    let actors: LocalActors
    let client: FederationClient

    func run(_ job: Job, progress: JobProgress) async throws {
        let delivery = try JSONDecoder().decode(Outbox.Delivery.self, from: job.payload)
        guard let actor = delivery.signerActor else {
            throw JobFailure.permanent("the signing actor \(delivery.signer) is not a local actor")
        }
        let signer: FederationSigner
        do {
            signer = try await actors.signer(for: actor)
        } catch let error as HerdError where error.kind == .notFound {
            throw JobFailure.permanent(error.publicMessage)
        }
        do {
            try await client.deliver(Array(delivery.activity.utf8), to: delivery.inbox, signer: signer)
        } catch let error as FederationClientError where !error.retryable {
            throw JobFailure.permanent("\(delivery.inbox): \(error)")
        }
    }
}
