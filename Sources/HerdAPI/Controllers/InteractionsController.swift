import Foundation
import HerdCore
import HerdProcessing
import Hummingbird

/// Ratings and views: `PUT /api/v1/videos/{id}/rate {rating}`, `GET /api/v1/users/me/videos/{id}/rating`, and the
/// player's `POST /api/v1/videos/{id}/views` heartbeat (one view per viewer per hour, counted in batches).
struct InteractionsController: Sendable {
    let catalog: VideoCatalog
    let interactions: VideoInteractions

    func addRoutes(to router: Router<HerdRequestContext>) {
        router.put("/api/v1/videos/:id/rate", use: rate)
        router.get("/api/v1/users/me/videos/:id/rating", use: rating)
        router.post("/api/v1/videos/:id/views", use: view)
    }

    struct RateInput: Decodable { var rating: String? }

    @Sendable func rate(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let video = try await catalog.visible(context)
        let contentType = request.headers[.contentType]?.lowercased() ?? "application/json"
        let raw =
            contentType.hasPrefix("application/json")
            ? try await JSON.decode(RateInput.self, from: request, limit: 64 * 1024).rating
            : try await FormInput.fields(from: request, limit: 64 * 1024)["rating"]?.first
        guard let raw, let rating = VideoRating(rawValue: raw) else {
            throw HerdError.badRequest("rating must be like, dislike or none")
        }
        try await interactions.rate(video, rating, by: user)
        return Response(status: .noContent)
    }

    @Sendable func rating(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let video = try await catalog.visible(context)
        let rating = try await interactions.rating(of: video, by: user)
        return try JSON.response(RatingDTO(videoId: video.video.id, rating: rating.rawValue))
    }

    struct RatingDTO: Encodable {
        var videoId: Int64
        var rating: String
    }

    struct ViewInput: Decodable {
        var currentTime: Double?
        var sessionId: String?
    }

    @Sendable func view(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let video = try await catalog.visible(context)
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        var input = ViewInput()
        if contentType.hasPrefix("application/json") {
            input = try await JSON.decode(ViewInput.self, from: request, limit: 16 * 1024)
        }
        if let time = input.currentTime, time < 0 || !time.isFinite {
            throw HerdError.badRequest("currentTime must be a number of seconds ≥ 0")
        }
        // A viewer is its session when the player sends one, else its account or address.
        let viewer =
            input.sessionId.map { "s:" + String($0.prefix(64)) } ?? context.viewer.user.map { "u:\($0.id)" }
            ?? "ip:" + context.remoteIP
        await interactions.viewed(video, by: viewer)
        return Response(status: .noContent)
    }
}
