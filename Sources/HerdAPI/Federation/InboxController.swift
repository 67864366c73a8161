import Foundation
import HerdCore
import HerdCrypto
import HerdFederation
import HerdProcessing
import Hummingbird

/// Inboxes: the shared `/inbox` and each actor's `/accounts/{name}/inbox` and `/video-channels/{name}/inbox`.
/// Every activity must carry a valid HTTP Signature (draft-cavage-12) by the actor it names; the signer's key is
/// fetched and cached, and fetched again once when it fails (key rotation). Activities are idempotent on `id`.
public struct InboxController: Sendable {
    let services: APIServices
    let actors: LocalActors
    static let maxBody = 1024 * 1024

    public init(services: APIServices) {
        self.services = services
        self.actors = services.localActors
    }

    public func addRoutes(to router: Router<HerdRequestContext>) {
        router.post("/inbox", use: inbox)
        router.post("/accounts/:name/inbox", use: inbox)
        router.post("/video-channels/:name/inbox", use: inbox)
    }

    @Sendable func inbox(_ request: Request, context: HerdRequestContext) async throws -> Response {
        guard services.settings.federation.enabled, let fetcher = services.fetcher else {
            throw HerdError.forbidden("federation is disabled on this instance")
        }
        try await services.rateLimiters.inbox.hit(context.remoteIP, now: services.clock.now())
        let body = try await JSON.collect(request, limit: Self.maxBody)
        let bytes = Array(body.readableBytesView)
        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName
            headers[name] = headers[name].map { "\($0), \(field.value)" } ?? field.value
        }
        // HTTP/1.1's Host header arrives as the request's authority (HTTPTypes), not among the fields.
        if headers["host"] == nil, let authority = request.head.authority { headers["host"] = authority }
        let signed = SignedRequest(method: "POST", target: request.uri.description, headers: headers, body: bytes)
        let now = Int(services.clock.now().timeIntervalSince1970)
        let (parameters, signingString): (SignatureParameters, String)
        do {
            (parameters, signingString) = try HTTPSignature.check(signed, now: now)
        } catch {
            throw HerdError(.unauthorized, "invalid HTTP signature: \(error)")
        }
        let activity: IncomingActivity
        do {
            activity = try IncomingActivity(try JSONValue.parse(bytes))
        } catch let error as IncomingActivity.Invalid {
            throw HerdError.badRequest(error.description)
        } catch {
            throw HerdError.badRequest("the body is not JSON")
        }
        // An activity's id is on its actor's host: no one can take (and so pre-empt, as ids are processed once)
        // the id of another's activity.
        guard URLParts(activity.id)?.authority == URLParts(activity.actor)?.authority else {
            throw HerdError.badRequest("the activity's id is not on its actor's host")
        }
        let policy = FederationPolicy(services.settings.federation)
        guard policy.allows(url: parameters.actorURL), policy.allows(url: activity.actor) else {
            throw HerdError.forbidden("this instance does not federate with that host or actor")
        }
        // The signer is normally the activity's actor; another signer is an instance forwarding it, and `Inbox`
        // then takes only what it can check at the source.
        let resolver = RemoteActorResolver(services: services, fetcher: fetcher)
        var signer = try await resolver.actor(parameters.actorURL)
        if !Self.verifies(parameters, signingString, with: signer.publicKeyPEM) {
            // The actor may have rotated its key: fetch it once more.
            signer = try await resolver.actor(parameters.actorURL, refresh: true)
            guard Self.verifies(parameters, signingString, with: signer.publicKeyPEM) else {
                throw HerdError(.unauthorized, "the HTTP signature does not verify with \(parameters.keyID)")
            }
        }
        let inbox = Inbox(services: services, actors: actors, resolver: resolver)
        try await inbox.receive(activity, from: signer)
        return Response(status: .accepted)
    }

    static func verifies(_ parameters: SignatureParameters, _ signingString: String, with pem: String) -> Bool {
        guard let key = try? RSAKey(pem: pem) else { return false }
        return key.verify(parameters.signature, of: Array(signingString.utf8))
    }
}
