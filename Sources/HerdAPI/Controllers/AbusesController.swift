import Foundation
import HerdCore
import HerdProcessing
import Hummingbird

/// Reports (PeerTube's abuses): `POST /api/v1/abuses` by any user about a video, a comment or an account, and
/// `GET /api/v1/abuses` for moderators (`Abuses` files them and flags remote content at its instance).
struct AbusesController: Sendable {
    let abuses: Abuses
    let settings: Settings

    func addRoutes(to router: Router<HerdRequestContext>) {
        router.post("/api/v1/abuses", use: report)
        router.get("/api/v1/abuses", use: list)
    }

    struct Target: Decodable { var id: Int64 }
    struct Input: Decodable {
        var reason: String?
        var video: Target?
        var comment: Target?
        var account: Target?
    }

    @Sendable func report(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let input = try await JSON.decode(Input.self, from: request, limit: 64 * 1024)
        let targets: [Abuses.Target] = [
            input.video.map { .video($0.id) }, input.comment.map { .comment($0.id) },
            input.account.map { .account($0.id) },
        ].compactMap { $0 }
        let id = try await abuses.report(targets, reason: input.reason ?? "", by: user)
        return try JSON.response(["abuse": ["id": id]])
    }

    @Sendable func list(_ request: Request, context: HerdRequestContext) async throws -> Response {
        _ = try context.requireRole(.moderator)
        let page = try await abuses.list(pagination: try QueryParameters(request.uri.query).pagination())
        return try JSON.response(AbuseListDTO(total: page.total, data: page.data.map(dto)))
    }

    func dto(_ listed: Abuses.Listed) -> AbuseDTO {
        let abuse = listed.abuse
        func summary(_ account: Account?) -> ActorSummaryDTO? {
            account.map { ActorSummaryDTO($0, baseURL: settings.baseURL, localHost: settings.publicHost) }
        }
        return AbuseDTO(
            id: abuse.id, reason: abuse.reason, state: Labeled(id: abuse.state.rawValue, label: abuse.state.label),
            reporterAccount: summary(listed.reporter),
            video: listed.video.map { .init(id: $0.id, uuid: $0.uuid.lowercasedString, name: $0.name) },
            comment: listed.comment.map { .init(id: $0.id, text: $0.text, videoId: $0.videoId) },
            flaggedAccount: summary(listed.flaggedAccount), createdAt: isoDate(abuse.createdAt))
    }
}

struct AbuseDTO: Encodable {
    struct VideoRef: Encodable {
        var id: Int64
        var uuid: String
        var name: String
    }
    struct CommentRef: Encodable {
        var id: Int64
        var text: String
        var videoId: Int64
    }
    var id: Int64
    var reason: String
    var state: Labeled<Int>
    var reporterAccount: ActorSummaryDTO?
    var video: VideoRef?
    var comment: CommentRef?
    var flaggedAccount: ActorSummaryDTO?
    var createdAt: String
}

struct AbuseListDTO: Encodable {
    var total: Int
    var data: [AbuseDTO]
}
