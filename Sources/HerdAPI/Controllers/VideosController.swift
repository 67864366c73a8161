import Foundation
import HerdCore
import HerdProcessing
import Hummingbird

/// `/api/v1/videos…` except uploads: list, fetch, update, delete, description, constant maps.
public struct VideosController: Sendable {
    let services: APIServices

    public init(services: APIServices) {
        self.services = services
    }

    public func addRoutes(to router: Router<HerdRequestContext>) {
        router.get("/api/v1/videos", use: list)
        router.get("/api/v1/videos/categories") { _, _ in try JSON.response(Self.stringKeyed(VideoConstants.categories))
        }
        router.get("/api/v1/videos/licences") { _, _ in try JSON.response(Self.stringKeyed(VideoConstants.licences)) }
        router.get("/api/v1/videos/languages") { _, _ in try JSON.response(VideoConstants.languages) }
        router.get("/api/v1/videos/privacies") { _, _ in
            try JSON.response(
                Self.stringKeyed(
                    Dictionary(uniqueKeysWithValues: VideoPrivacy.allCases.map { ($0.rawValue, $0.label) })))
        }
        router.get("/api/v1/videos/:id", use: get)
        router.put("/api/v1/videos/:id", use: update)
        router.delete("/api/v1/videos/:id", use: delete)
        router.get("/api/v1/videos/:id/description", use: description)
    }

    static func stringKeyed(_ map: [Int: String]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: map.map { (String($0.key), $0.value) })
    }

    /// The video if `viewer` may see it; 404 otherwise, so private videos do not reveal that they exist.
    func findVisible(_ context: HerdRequestContext) async throws -> VideoWithOwner {
        try await visible(context, find: { try await services.stores.videos.find($0) }, video: { $0 })
    }

    /// The video named by the path's `id` (found by `find`) if the viewer may see it: 400 for an id that cannot
    /// name a video, 404 for one that is not there or not for this viewer.
    func visible<Found>(
        _ context: HerdRequestContext, find: (VideoReference) async throws -> Found?,
        video: (Found) -> VideoWithOwner
    ) async throws -> Found {
        guard let reference = VideoReference(try context.parameters.require("id")) else {
            throw HerdError.badRequest("the id must be a number, a UUID or a shortUUID")
        }
        guard let found = try await find(reference),
            try await VideoAccess(stores: services.stores).allows(
                video(found), viewer: context.viewer, password: context.videoPassword)
        else { throw HerdError.notFound("Video not found") }
        return found
    }

    /// The video if the user may change it: 404 when it cannot be seen, 403 when it can but is not theirs.
    func findManaged(_ context: HerdRequestContext) async throws -> VideoWithOwner {
        let user = try context.requireUser()
        let video = try await findVisible(context)
        guard VideoVisibility.canManage(ownerUserId: video.account.userId, viewer: Viewer(user: user)) else {
            throw HerdError.forbidden("Cannot manage a video of another user")
        }
        return video
    }

    @Sendable func list(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let listing = VideoListing(services: services)
        let query = try listing.query(from: QueryParameters(request.uri.query), viewer: context.viewer)
        return try await listing.response(for: query, request: request, viewer: context.viewer)
    }

    @Sendable func get(_ request: Request, context: HerdRequestContext) async throws -> Response {
        // The video, its files and its mirrors in one read (issue 16: one trip to the database per request).
        let now = services.clock.now()
        let found = try await visible(
            context, find: { try await services.stores.videos.findWithMedia($0, now: now) }, video: \.video)
        let (video, files) = (found.video, found.files)
        let settings = services.settings
        // Other instances' copies of a local video, for players and BitTorrent clients to fail over to (issue 6).
        // A remote video lists the mirrors its origin forwarded, and torrents kept here with them as web seeds.
        let mirrors = services.mirrorHealth.filter(found.mirrors.map(\.baseURL))
        let remoteTorrents = services.processing.remoteTorrents
        var dto = VideoDTO(
            video, baseURL: settings.baseURL, localHost: settings.publicHost, details: true, files: files,
            mirrors: mirrors,
            remoteTorrents: remoteTorrents.isKept(video.video) ? remoteTorrents.baseURL(video.video) : nil)
        if video.video.state == .toTranscode,
            let job = try await services.stores.jobs.latest(
                kind: TranscodeVideoPayload.kind.rawValue, payloadContaining: video.video.uuid.lowercasedString
            )
        {
            let detail = job.progressDetail.flatMap { try? JSONDecoder().decode([String: Double].self, from: $0) }
            dto.transcodingProgress = TranscodingProgressDTO(
                state: JobsController.stateName(job, now: services.clock.now()), percent: job.progress ?? 0,
                fps: detail?["fps"], eta: detail?["eta"], attempts: job.attempts
            )
        }
        return try JSON.response(dto)
    }

    @Sendable func description(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let video = try await findVisible(context)
        return try JSON.response(["description": video.video.description])
    }

    @Sendable func update(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let found = try await findManaged(context)
        guard found.video.isLocal else { throw HerdError.forbidden("a remote video is edited on its own instance") }
        let input = try await FormInput.videoFields(from: request, limit: services.settings.apiMaxBodySize)
        var video = found.video
        try input.apply(to: &video)
        let passwords = try input.passwords(privacy: video.privacy, before: found.video.privacy)
        if let channelId = input.channelId, channelId != video.channelId {
            guard let channel = try await services.stores.channels.find(id: channelId),
                channel.owner.id == found.account.id
            else { throw HerdError.badRequest("channelId must be one of the owner's channels") }
            video.channelId = channelId
        }
        if let passwords {
            try await services.stores.videoPasswords.replace(
                videoId: video.id, with: passwords, now: services.clock.now())
        }
        try await services.processing.privateFiles.save(video, before: found.video)
        services.events.publish(.video(id: video.id))
        if let updated = try await services.stores.videos.find(.id(video.id)) {
            try await services.processing.videoFederation.updated(updated, before: found.video)
        }
        return Response(status: .noContent)
    }

    @Sendable func delete(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let video = try await findManaged(context)
        try await services.processing.videoRemoval.remove(video.video)
        return Response(status: .noContent)
    }
}
