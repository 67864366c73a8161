import Foundation
import HerdCore
import HerdFederation
import HerdProcessing
import Hummingbird

/// Reports (PeerTube's abuses): `POST /api/v1/abuses` by any user about a video, a comment or an account, and
/// `GET /api/v1/abuses` for moderators. A report about remote content is also sent to its instance as a `Flag`
/// from the instance actor (the reporter stays anonymous there, as PeerTube does).
public struct AbusesController: Sendable {
    let services: APIServices

    public init(services: APIServices) {
        self.services = services
    }

    public func addRoutes(to router: Router<HerdRequestContext>) {
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
        let reason = (input.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard (2...Abuse.maxReasonLength).contains(reason.count) else {
            throw HerdError.badRequest("reason must hold 2 to \(Abuse.maxReasonLength) characters")
        }
        guard [input.video, input.comment, input.account].compactMap({ $0 }).count == 1 else {
            throw HerdError.badRequest("report exactly one of video, comment or account")
        }
        guard let reporter = try await services.stores.accounts.find(userId: user.id) else {
            throw HerdError.internalError("the user has no account")
        }
        let stores = services.stores
        let urls = ActivityPubURLs(baseURL: services.settings.baseURL)
        var new = NewAbuse(reporterAccountId: reporter.id, reason: reason)
        var remote: (url: String, origin: VideoWithOwner?, account: Account?)?
        if let target = input.video {
            guard let video = try await stores.videos.find(.id(target.id)),
                VideoVisibility.canView(video.video, ownerUserId: video.account.userId, viewer: context.viewer)
            else { throw HerdError.notFound("Video not found") }
            new.videoId = video.video.id
            if !video.video.isLocal { remote = (urls.video(video.video), video, nil) }
        } else if let target = input.comment {
            guard let comment = try await stores.comments.find(id: target.id),
                let video = try await stores.videos.find(.id(comment.comment.videoId)),
                VideoVisibility.canView(video.video, ownerUserId: video.account.userId, viewer: context.viewer)
            else { throw HerdError.notFound("Video comment not found") }
            new.commentId = comment.comment.id
            if let url = comment.comment.url { remote = (url, nil, comment.account) }
        } else if let target = input.account {
            guard let account = try await stores.accounts.find(id: target.id) else {
                throw HerdError.notFound("Account not found")
            }
            new.flaggedAccountId = account.id
            if let url = account.url { remote = (url, nil, account) }
        }
        let abuse = try await stores.abuses.create(new)
        if let remote, services.settings.federation.enabled {
            try await flag(remote.url, reason: reason, abuseId: abuse.id, video: remote.origin, author: remote.account)
        }
        return try JSON.response(["abuse": ["id": abuse.id]])
    }

    /// `Flag` to the instance that holds the content.
    func flag(_ url: String, reason: String, abuseId: Int64, video: VideoWithOwner?, author: Account?) async throws {
        var inbox: String?
        if let video {
            inbox = try await services.processing.videoFederation.audience(video).first
        } else if let authorURL = author?.url {
            inbox = try await services.stores.federation.remoteActor(url: authorURL)?.deliveryInbox
        }
        guard let inbox else { return }
        let actors = services.localActors
        let instance = try await actors.instanceAccount()
        let activity = Activities.flag(
            id: "\(services.settings.baseURL)/admin/abuses/\(abuseId)", actor: actors.urls.instanceActor,
            object: url, content: reason)
        try await Outbox(stores: services.stores, clock: services.clock)
            .send(activity, to: [inbox], from: .account(instance.id))
    }

    @Sendable func list(_ request: Request, context: HerdRequestContext) async throws -> Response {
        _ = try context.requireRole(.moderator)
        let page = try await services.stores.abuses.list(
            pagination: try QueryParameters(request.uri.query).pagination())
        var data: [AbuseDTO] = []
        for abuse in page.data { data.append(try await dto(abuse)) }
        return try JSON.response(AbuseListDTO(total: page.total, data: data))
    }

    func dto(_ abuse: Abuse) async throws -> AbuseDTO {
        let settings = services.settings
        let stores = services.stores
        func summary(_ id: Int64?) async throws -> ActorSummaryDTO? {
            guard let id, let account = try await stores.accounts.find(id: id) else { return nil }
            return ActorSummaryDTO(account, baseURL: settings.baseURL, localHost: settings.publicHost)
        }
        var video: AbuseDTO.VideoRef?
        if let id = abuse.videoId, let found = try await stores.videos.find(.id(id)) {
            video = .init(id: id, uuid: found.video.uuid.lowercasedString, name: found.video.name)
        }
        var comment: AbuseDTO.CommentRef?
        if let id = abuse.commentId, let found = try await stores.comments.find(id: id) {
            comment = .init(id: id, text: found.comment.text, videoId: found.comment.videoId)
        }
        return AbuseDTO(
            id: abuse.id, reason: abuse.reason, state: Labeled(id: abuse.state.rawValue, label: abuse.state.label),
            reporterAccount: try await summary(abuse.reporterAccountId), video: video, comment: comment,
            flaggedAccount: try await summary(abuse.flaggedAccountId), createdAt: isoDate(abuse.createdAt))
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
