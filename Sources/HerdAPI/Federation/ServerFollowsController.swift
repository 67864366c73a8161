import HerdCore
import HerdProcessing
import Hummingbird

/// Instance following, as PeerTube's admin API has it: `POST /api/v1/server/following {hosts:[…]}`,
/// `GET /api/v1/server/following`, `GET /api/v1/server/followers`, `DELETE /api/v1/server/following/{host}`, and
/// the decisions on followers when `federation.auto_accept_followers` is off:
/// `POST /api/v1/server/followers/{name@host}/accept`, `…/reject` and `DELETE /api/v1/server/followers/{name@host}`
/// (`InstanceFollows` sends the activities).
public struct ServerFollowsController: Sendable {
    let follows: InstanceFollows

    public init(follows: InstanceFollows) {
        self.follows = follows
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
        let host = try context.parameters.require("host")
        guard let allowed = try await JSON.decode(RedundancyInput.self, from: request, limit: 4096).redundancyAllowed
        else { throw HerdError.badRequest("redundancyAllowed (true or false) is required") }
        try await follows.setRedundancyAllowed(allowed, host: host)
        return Response(status: .noContent)
    }

    @Sendable func acceptFollower(_ request: Request, context: HerdRequestContext) async throws -> Response {
        _ = try context.requireRole(.administrator)
        try await follows.accept(follower: try context.parameters.require("handle"))
        return Response(status: .noContent)
    }

    @Sendable func rejectFollower(_ request: Request, context: HerdRequestContext) async throws -> Response {
        _ = try context.requireRole(.administrator)
        try await follows.reject(follower: try context.parameters.require("handle"))
        return Response(status: .noContent)
    }

    struct FollowInput: Decodable {
        var hosts: [String]?
        var handles: [String]?
    }

    @Sendable func follow(_ request: Request, context: HerdRequestContext) async throws -> Response {
        _ = try context.requireRole(.administrator)
        let input = try await JSON.decode(FollowInput.self, from: request, limit: 64 * 1024)
        try await follows.follow(hosts: input.hosts ?? [])
        return Response(status: .noContent)
    }

    @Sendable func unfollow(_ request: Request, context: HerdRequestContext) async throws -> Response {
        _ = try context.requireRole(.administrator)
        try await follows.unfollow(host: try context.parameters.require("host"))
        return Response(status: .noContent)
    }

    @Sendable func following(_ request: Request, context: HerdRequestContext) async throws -> Response {
        try await list(request, following: true)
    }

    @Sendable func followers(_ request: Request, context: HerdRequestContext) async throws -> Response {
        try await list(request, following: false)
    }

    func list(_ request: Request, following: Bool) async throws -> Response {
        let pagination = try QueryParameters(request.uri.query).pagination()
        let page = try await follows.list(following: following, pagination: pagination)
        return try JSON.response(ListDTO(page.map(FollowDTO.init)))
    }
}
