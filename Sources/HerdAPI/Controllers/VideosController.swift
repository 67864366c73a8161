import Foundation
import HerdCore
import HerdProcessing
import Hummingbird

/// `/api/v1/videos…` except uploads: list, fetch, update, delete, description, constant maps.
struct VideosController: Sendable {
    let catalog: VideoCatalog
    let listing: VideoListing
    let editing: VideoEditing
    let removal: VideoRemoval
    let settings: Settings
    let clock: any WallClock

    func addRoutes(to router: Router<HerdRequestContext>) {
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

    @Sendable func list(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let query = try listing.query(from: QueryParameters(request.uri.query), viewer: context.viewer)
        return try await listing.response(for: query, request: request, viewer: context.viewer)
    }

    @Sendable func get(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let found = try await catalog.details(
            context.videoReference(), viewer: context.viewer, password: context.videoPassword)
        var dto = VideoDTO(
            found.video, baseURL: settings.baseURL, localHost: settings.publicHost, details: true, files: found.files,
            mirrors: found.mirrors, remoteTorrents: found.remoteTorrents)
        if let job = found.transcoding {
            let detail = job.progressDetail.flatMap { try? JSONDecoder().decode([String: Double].self, from: $0) }
            dto.transcodingProgress = TranscodingProgressDTO(
                state: job.peerTubeState(now: clock.now()), percent: job.progress ?? 0, fps: detail?["fps"],
                eta: detail?["eta"], attempts: job.attempts)
        }
        return try JSON.response(dto)
    }

    @Sendable func description(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let video = try await catalog.visible(context)
        return try JSON.response(["description": video.video.description])
    }

    @Sendable func update(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let found = try await catalog.managed(context)
        let input = try await FormInput.videoFields(from: request, limit: settings.apiMaxBodySize)
        var video = found.video
        try input.apply(to: &video)
        if let channelId = input.channelId { video.channelId = channelId }
        let passwords = try input.passwords(privacy: video.privacy, before: found.video.privacy)
        try await editing.update(found, to: video, passwords: passwords)
        return Response(status: .noContent)
    }

    @Sendable func delete(_ request: Request, context: HerdRequestContext) async throws -> Response {
        try await removal.remove(try await catalog.managed(context).video)
        return Response(status: .noContent)
    }
}
