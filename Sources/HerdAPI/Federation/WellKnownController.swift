import HerdCore
import HerdFederation
import HerdProcessing
import Hummingbird

/// Discovery: `/.well-known/webfinger` (RFC 7033), `/.well-known/nodeinfo` and `/nodeinfo/2.0.json` (NodeInfo 2.0),
/// `/.well-known/host-meta` (RFC 6415), as PeerTube answers them.
struct WellKnownController: Sendable {
    let documents: ActivityPubDocuments
    let configuration: InstanceConfiguration
    let settings: Settings

    func addRoutes(to router: Router<HerdRequestContext>) {
        router.get("/.well-known/webfinger", use: webfinger)
        router.get("/.well-known/nodeinfo", use: nodeinfoLinks)
        router.get("/nodeinfo/2.0.json", use: nodeinfo)
        router.get("/.well-known/host-meta", use: hostMeta)
    }

    var urls: ActorURLs { ActorURLs(baseURL: settings.baseURL) }

    /// `?resource=acct:name@host`: local accounts, channels and the instance actor; other hosts are not ours.
    @Sendable func webfinger(_ request: Request, context: HerdRequestContext) async throws -> Response {
        guard let resource = request.uri.queryParameters.get("resource"), !resource.isEmpty else {
            throw HerdError.badRequest("resource is required (acct:name@host)")
        }
        let host = settings.publicHost
        let name: String?
        if resource.hasPrefix("http://") || resource.hasPrefix("https://") {
            // An actor URL given as the resource.
            let base = urls.baseURL
            name =
                [base + "/accounts/", base + "/video-channels/"].lazy.compactMap { prefix in
                    resource.hasPrefix(prefix) ? String(resource.dropFirst(prefix.count)) : nil
                }.first
        } else {
            name = WebFinger.localName(resource: resource, host: host)
        }
        guard let name, let url = try await documents.actorURL(named: name) else {
            throw HerdError.notFound("no local actor matches \(resource)")
        }
        return ActivityPubResponse.json(
            WebFinger.document(name: name, host: host, actorURL: url, baseURL: urls.baseURL),
            contentType: "application/jrd+json; charset=utf-8")
    }

    @Sendable func nodeinfoLinks(_ request: Request, context: HerdRequestContext) async throws -> Response {
        ActivityPubResponse.json(
            NodeInfo.discovery(baseURL: urls.baseURL, instanceActorURL: urls.instanceActor),
            contentType: "application/json; charset=utf-8")
    }

    @Sendable func nodeinfo(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let (users, videos) = try await documents.usage()
        let document = NodeInfo.document(
            softwareName: "peertube", version: ConfigController.serverVersion,
            openRegistrations: try await configuration.signupEnabled(),
            usage: .init(users: users, activeMonth: users, activeHalfyear: users, localPosts: videos, localComments: 0),
            nodeName: settings.instanceName, nodeDescription: settings.instanceDescription)
        return ActivityPubResponse.json(
            document,
            contentType: "application/json; profile=\"\(NodeInfo.schema20)#\"; charset=utf-8")
    }

    @Sendable func hostMeta(_ request: Request, context: HerdRequestContext) async throws -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/xrd+xml; charset=utf-8", .accessControlAllowOrigin: "*"],
            body: .init(byteBuffer: ByteBuffer(string: WebFinger.hostMeta(baseURL: urls.baseURL))))
    }
}
