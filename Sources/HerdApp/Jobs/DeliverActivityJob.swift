import Foundation
import HerdAPI
import HerdCore
import HerdCrypto
import HerdFederation
import HerdFederationClient
import HerdJobs
import Logging

/// `activitypub-http-unicast`: signs an activity with its actor's key and POSTs it to one inbox. A host that fails
/// is retried with exponential backoff (up to an hour apart) for about two and a half days; a refusal that
/// retrying cannot change (4xx, a private address) ends the job as failed, with the reason.
struct DeliverActivityJob: JobHandler {
    var kind: String { Outbox.jobKind }
    var maxAttempts: Int { Outbox.maxAttempts }
    let stores: Stores
    let client: FederationClient
    let baseURL: String
    let logger: Logger

    func run(_ job: Job, progress: JobProgress) async throws {
        let delivery = try JSONDecoder().decode(Outbox.Delivery.self, from: job.payload)
        guard let actor = delivery.signerActor, let keys = try await stores.actorKeys.keys(for: actor) else {
            throw JobFailure.permanent("the signing actor \(delivery.signer) no longer exists")
        }
        let urls = ActorURLs(baseURL: baseURL)
        let keyURL: String
        switch actor {
        case .account(let id):
            guard let account = try await stores.accounts.find(id: id) else {
                throw JobFailure.permanent("the signing account is gone")
            }
            keyURL = urls.account(account.name)
        case .channel(let id):
            guard let channel = try await stores.channels.find(id: id) else {
                throw JobFailure.permanent("the signing channel is gone")
            }
            keyURL = urls.channel(channel.channel.name)
        }
        let signer = FederationSigner(keyID: keyURL + "#main-key", key: try RSAKey(pem: keys.privateKeyPEM))
        do {
            try await client.deliver(Array(delivery.activity.utf8), to: delivery.inbox, signer: signer)
        } catch let error as FederationClientError where !error.retryable {
            throw JobFailure.permanent("\(delivery.inbox): \(error)")
        }
    }
}
