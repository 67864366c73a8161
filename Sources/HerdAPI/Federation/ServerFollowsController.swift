import Foundation
import HerdCore
import HerdFederation
import HerdProcessing
import Hummingbird
import Logging

/// Instance following, as PeerTube's admin API has it: `POST /api/v1/server/following {hosts:[…]}` (the instance
/// actor sends `Follow` to each host's instance actor), `GET /api/v1/server/following`,
/// `GET /api/v1/server/followers`, `DELETE /api/v1/server/following/{host}` (sends `Undo`), and the decisions on
/// followers when `federation.auto_accept_followers` is off: `POST /api/v1/server/followers/{name@host}/accept`
/// (sends `Accept`), `…/reject` and `DELETE /api/v1/server/followers/{name@host}` (both send `Reject`).
public struct ServerFollowsController: Sendable {
    let services: APIServices
    let actors: LocalActors

    public init(services: APIServices) {
        self.services = services
        self.actors = services.localActors
    }

    public func addRoutes(to router: Router<HerdRequestContext>) {
        router.post("/api/v1/server/following", use: follow)
        router.get("/api/v1/server/following", use: following)
        router.get("/api/v1/server/followers", use: followers)
        router.delete("/api/v1/server/following/:host", use: unfollow)
        router.post("/api/v1/server/followers/:handle/accept", use: acceptFollower)
        router.post("/api/v1/server/followers/:handle/reject", use: rejectFollower)
        router.delete("/api/v1/server/followers/:handle", use: rejectFollower)
        router.put("/api/v1/server/redundancy/:host", use: redundancy)
    }

    struct RedundancyInput: Decodable { var redundancyAllowed: Bool? }

    /// `PUT /api/v1/server/redundancy/{host} {redundancyAllowed}`: whether this instance mirrors the videos of an
    /// instance it follows (issue 6).
    @Sendable func redundancy(_ request: Request, context: HerdRequestContext) async throws -> Response {
        _ = try context.requireRole(.administrator)
        let host = try context.parameters.require("host").lowercased()
        guard let allowed = try await JSON.decode(RedundancyInput.self, from: request, limit: 4096).redundancyAllowed
        else { throw HerdError.badRequest("redundancyAllowed (true or false) is required") }
        guard
            try await services.stores.federation.setRedundancyAllowed(
                allowed, host: host, follower: actors.urls.instanceActor)
        else { throw HerdError.notFound("this instance does not follow \(host)") }
        return Response(status: .noContent)
    }

    /// The follow of the instance actor by `name@host`, with the follower.
    func follower(_ context: HerdRequestContext) async throws -> (FollowRecord, RemoteActorRecord) {
        _ = try context.requireRole(.administrator)
        let handle = try context.parameters.require("handle")
        let parts = handle.split(separator: "@", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw HerdError.badRequest("the follower must be given as name@host") }
        let page = try await services.stores.federation.follows(
            following: actors.urls.instanceActor, follower: nil, start: 0, count: 10_000)
        for follow in page.data {
            if let actor = try await services.stores.federation.remoteActor(url: follow.follower),
                actor.preferredUsername == parts[0], actor.host == parts[1].lowercased()
            {
                return (follow, actor)
            }
        }
        throw HerdError.notFound("no follower \(handle)")
    }

    @Sendable func acceptFollower(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let (follow, actor) = try await follower(context)
        guard follow.state == .pending else { return Response(status: .noContent) }
        try await services.stores.federation.setFollowState(id: follow.id, .accepted)
        try await answer(.accept, follow, actor)
        return Response(status: .noContent)
    }

    @Sendable func rejectFollower(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let (follow, actor) = try await follower(context)
        try await services.stores.federation.deleteFollow(id: follow.id)
        try await answer(.reject, follow, actor)
        return Response(status: .noContent)
    }

    /// `Accept` or `Reject` of the follower's `Follow`, from the instance actor.
    func answer(_ type: ActivityType, _ follow: FollowRecord, _ actor: RemoteActorRecord) async throws {
        guard services.settings.federation.enabled else { return }
        let me = actors.urls.instanceActor
        let followActivity = Activities.follow(id: follow.activityID, actor: follow.follower, object: me)
        let path = type == .accept ? "accepts" : "rejects"
        let activity = Activities.answer(
            type, id: "\(actors.urls.baseURL)/\(path)/follows/\(follow.id)-\(UUID().lowercasedString)",
            actor: me,
            follow: followActivity)
        try await Outbox(stores: services.stores, clock: services.clock).send(
            activity, to: [actor.inbox], from: .account(try await actors.instanceAccount().id))
    }

    struct FollowInput: Decodable {
        var hosts: [String]?
        var handles: [String]?
    }

    var fetcher: any ActivityPubFetcher {
        get throws {
            guard services.settings.federation.enabled, let fetcher = services.fetcher else {
                throw HerdError.forbidden("federation is disabled on this instance")
            }
            return fetcher
        }
    }

    /// A host's instance actor URL (`scheme://host/accounts/peertube`), with this instance's scheme.
    func instanceActorURL(host: String) throws -> String {
        let trimmed = host.trimmingCharacters(in: .whitespaces).lowercased()
        guard !trimmed.isEmpty, trimmed.count <= 255,
            trimmed.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == ":" }),
            URLParts("http://\(trimmed)/")?.authority == trimmed
        else { throw HerdError.badRequest("\(host) is not a host name") }
        guard trimmed != services.settings.publicHost.lowercased() else {
            throw HerdError.badRequest("an instance cannot follow itself")
        }
        let scheme = services.settings.webserverHTTPS ? "https" : "http"
        return "\(scheme)://\(trimmed)/accounts/\(ActorURLs.instanceActorName)"
    }

    @Sendable func follow(_ request: Request, context: HerdRequestContext) async throws -> Response {
        _ = try context.requireRole(.administrator)
        let fetcher = try fetcher
        let input = try await JSON.decode(FollowInput.self, from: request, limit: 64 * 1024)
        let hosts = input.hosts ?? []
        guard !hosts.isEmpty, hosts.count <= 100 else { throw HerdError.badRequest("hosts must list 1 to 100 hosts") }
        let targets = try hosts.map(instanceActorURL(host:))
        let policy = FederationPolicy(services.settings.federation)
        if let refused = targets.first(where: { !policy.allows(url: $0) }) {
            throw HerdError.badRequest(
                "\(URLParts(refused)?.authority ?? refused) is outside federation.allowlist or blocked")
        }
        let resolver = RemoteActorResolver(services: services, fetcher: fetcher)
        let instance = try await actors.instanceAccount()
        let me = actors.urls.instanceActor
        let outbox = Outbox(stores: services.stores, clock: services.clock)
        for target in targets {
            let remote = try await resolver.actor(target, refresh: true)
            let activityID = "\(me)/follows/\(UUID().lowercasedString)"
            _ = try await services.stores.federation.saveFollow(
                follower: me, following: remote.url, activityID: activityID, state: .pending)
            try await outbox.send(
                Activities.follow(id: activityID, actor: me, object: remote.url), to: [remote.inbox],
                from: .account(instance.id))
        }
        return Response(status: .noContent)
    }

    @Sendable func unfollow(_ request: Request, context: HerdRequestContext) async throws -> Response {
        _ = try context.requireRole(.administrator)
        _ = try fetcher
        let target = try instanceActorURL(host: try context.parameters.require("host"))
        let instance = try await actors.instanceAccount()
        let me = actors.urls.instanceActor
        guard let follow = try await services.stores.federation.follow(follower: me, following: target) else {
            throw HerdError.notFound("this instance does not follow that host")
        }
        try await services.stores.federation.deleteFollow(id: follow.id)
        try await removeVideos(of: URLParts(target)?.authority ?? "", logger: context.logger)
        if let remote = try await services.stores.federation.remoteActor(url: target) {
            let undo = Activities.undo(
                id: "\(follow.activityID)/undo", actor: me,
                object: Activities.follow(id: follow.activityID, actor: me, object: target))
            try await Outbox(stores: services.stores, clock: services.clock).send(
                undo, to: [remote.inbox], from: .account(instance.id))
        }
        return Response(status: .noContent)
    }

    /// After an unfollow: the host's videos go too (as in PeerTube), unless this instance still follows it.
    func removeVideos(of host: String, logger: Logger) async throws {
        guard !host.isEmpty,
            try await !services.stores.federation.follows(host: host, follower: actors.urls.instanceActor)
        else { return }
        let removal = VideoRemoval(services: services)
        while true {
            let page = try await services.stores.videos.list(
                VideoQuery(pagination: Pagination(count: 100), privacies: [], onlyPublished: false, host: host))
            if page.data.isEmpty { break }
            for item in page.data { try await removal.remove(item.video, logger: logger) }
        }
    }

    @Sendable func following(_ request: Request, context: HerdRequestContext) async throws -> Response {
        try JSON.response(try await list(request, follower: actors.urls.instanceActor, following: nil))
    }

    @Sendable func followers(_ request: Request, context: HerdRequestContext) async throws -> Response {
        try JSON.response(try await list(request, follower: nil, following: actors.urls.instanceActor))
    }

    func list(_ request: Request, follower: String?, following: String?) async throws -> FollowPageDTO {
        let query = QueryParameters(request.uri.query)
        let pagination = try query.pagination()
        let page = try await services.stores.federation.follows(
            following: following, follower: follower, start: pagination.start, count: pagination.count)
        var data: [FollowDTO] = []
        for follow in page.data {
            data.append(
                FollowDTO(
                    id: follow.id, follower: try await actorDTO(follow.follower),
                    following: try await actorDTO(follow.following, redundancyAllowed: follow.redundancyAllowed),
                    score: 1, state: follow.state.rawValue,
                    createdAt: isoDate(follow.createdAt), updatedAt: isoDate(follow.updatedAt)))
        }
        return FollowPageDTO(total: page.total, data: data)
    }

    func actorDTO(_ url: String, redundancyAllowed: Bool? = nil) async throws -> FollowActorDTO {
        let parts = URLParts(url)
        let name = url.split(separator: "/").last.map(String.init) ?? url
        if let remote = try await services.stores.federation.remoteActor(url: url) {
            return FollowActorDTO(
                url: url, name: remote.preferredUsername, host: remote.host, displayName: remote.name ?? name,
                hostRedundancyAllowed: redundancyAllowed)
        }
        return FollowActorDTO(
            url: url, name: name, host: parts?.authority ?? "", displayName: name,
            hostRedundancyAllowed: redundancyAllowed)
    }

    struct FollowActorDTO: Encodable {
        var url: String
        var name: String
        var host: String
        var displayName: String
        /// On followed instances: whether this instance mirrors their videos.
        var hostRedundancyAllowed: Bool?
    }

    struct FollowDTO: Encodable {
        var id: Int64
        var follower: FollowActorDTO
        var following: FollowActorDTO
        var score: Int
        var state: String
        var createdAt: String
        var updatedAt: String
    }

    struct FollowPageDTO: Encodable {
        var total: Int
        var data: [FollowDTO]
    }
}
