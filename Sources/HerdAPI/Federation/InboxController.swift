import HerdCore
import HerdFederation
import HerdProcessing
import Hummingbird

/// Inboxes: the shared `/inbox` and each actor's `/accounts/{name}/inbox` and `/video-channels/{name}/inbox`. The
/// delivery as received goes to `Inbox`, which checks its HTTP Signature and handles it once per activity id.
public struct InboxController: Sendable {
    let inbox: Inbox
    let limiter: RateLimiter
    let clock: any WallClock
    static let maxBody = 1024 * 1024

    public init(inbox: Inbox, limiter: RateLimiter, clock: any WallClock) {
        self.inbox = inbox
        self.limiter = limiter
        self.clock = clock
    }

    public func addRoutes(to router: Router<HerdRequestContext>) {
        router.post("/inbox", use: receive)
        router.post("/accounts/:name/inbox", use: receive)
        router.post("/video-channels/:name/inbox", use: receive)
    }

    @Sendable func receive(_ request: Request, context: HerdRequestContext) async throws -> Response {
        try await limiter.hit(context.remoteIP, now: clock.now())
        let body = try await JSON.collect(request, limit: Self.maxBody)
        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName
            headers[name] = headers[name].map { "\($0), \(field.value)" } ?? field.value
        }
        // HTTP/1.1's Host header arrives as the request's authority (HTTPTypes), not among the fields.
        if headers["host"] == nil, let authority = request.head.authority { headers["host"] = authority }
        try await inbox.deliver(
            SignedRequest(
                method: "POST", target: request.uri.description, headers: headers,
                body: Array(body.readableBytesView)))
        return Response(status: .accepted)
    }
}
