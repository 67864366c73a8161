import HTTPTypes
import HerdCore
import HerdProcessing
import Hummingbird

extension HerdRequestContext {
    /// `x-peertube-video-password` (PeerTube 6), read by `AuthMiddleware`.
    static let videoPasswordHeader = HTTPField.Name("x-peertube-video-password")!

    /// The video the path's `id` names: 400 for an id that cannot name a video.
    func videoReference() throws -> VideoReference {
        guard let reference = VideoReference(try parameters.require("id")) else {
            throw HerdError.badRequest("the id must be a number, a UUID or a shortUUID")
        }
        return reference
    }
}

extension VideoCatalog {
    /// The video the path's `id` names, if the request's viewer may see it (404 otherwise).
    func visible(_ context: HerdRequestContext) async throws -> VideoWithOwner {
        try await visible(context.videoReference(), viewer: context.viewer, password: context.videoPassword)
    }

    /// The video the path's `id` names, if the request's user may change it (401, 403 or 404 otherwise).
    func managed(_ context: HerdRequestContext) async throws -> VideoWithOwner {
        let user = try context.requireUser()
        return try await managed(context.videoReference(), by: user, password: context.videoPassword)
    }
}
