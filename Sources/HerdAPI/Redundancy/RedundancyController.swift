import Foundation
import HerdCore
import HerdFederation
import HerdProcessing
import Hummingbird

/// PeerTube's redundancy admin API (issue 6), plus the `CacheFile` objects of this instance's copies:
/// - `POST /api/v1/server/redundancy/videos {videoId}`: mirror one remote video by hand (400 for a local video or
///   an instance not followed, 404 for an unknown video, 409 when it is already mirrored);
/// - `GET /api/v1/server/redundancy/videos?target=my-videos|remote-videos`: local videos other instances mirror, or
///   this instance's copies of remote videos, in PeerTube's `VideoRedundancy` shape;
/// - `DELETE /api/v1/server/redundancy/videos/{id}`: drop a copy (the origin gets `Undo CacheFile`);
/// - `GET /redundancy/streaming-playlists/hls/{uuid}`: the copy's `CacheFile`, which other instances fetch to
///   check one that was forwarded to them.
struct RedundancyController: Sendable {
    let copies: MirrorCopies
    let baseURL: String

    func addRoutes(to router: Router<HerdRequestContext>) {
        router.post("/api/v1/server/redundancy/videos", use: create)
        router.get("/api/v1/server/redundancy/videos", use: list)
        router.delete("/api/v1/server/redundancy/videos/:id", use: remove)
        router.get("/redundancy/streaming-playlists/hls/:uuid", use: cacheFile)
    }

    struct CreateInput: Decodable {
        var videoId: VideoID?

        /// PeerTube sends the numeric id; a UUID is taken too.
        enum VideoID: Decodable {
            case number(Int64)
            case text(String)

            init(from decoder: any Decoder) throws {
                let container = try decoder.singleValueContainer()
                if let number = try? container.decode(Int64.self) {
                    self = .number(number)
                } else {
                    self = .text(try container.decode(String.self))
                }
            }
        }
    }

    @Sendable func create(_ request: Request, context: HerdRequestContext) async throws -> Response {
        _ = try context.requireRole(.administrator)
        let input = try await JSON.decode(CreateInput.self, from: request, limit: 4096)
        let reference: VideoReference
        switch input.videoId {
        case .number(let id)?: reference = .id(id)
        case .text(let text)?:
            guard let parsed = VideoReference(text) else { throw HerdError.badRequest("videoId is not a video id") }
            reference = parsed
        case nil: throw HerdError.badRequest("videoId is required")
        }
        try await copies.requestByHand(reference)
        return Response(status: .noContent)
    }

    struct RedundancyDTO: Encodable {
        var id: Int64
        var name: String
        var url: String
        var uuid: String
        var redundancies: Redundancies

        struct Redundancies: Encodable {
            var files: [Entry] = []
            var streamingPlaylists: [Entry]
        }

        struct Entry: Encodable {
            var id: Int64
            var fileUrl: String
            var strategy: String?
            var size: Int64?
            var state: String?
            var createdAt: String
            var updatedAt: String
            var expiresOn: String?
        }
    }

    @Sendable func list(_ request: Request, context: HerdRequestContext) async throws -> Response {
        _ = try context.requireRole(.administrator)
        let query = QueryParameters(request.uri.query)
        let pagination = try query.pagination()
        var rows: [RedundancyDTO] = []
        switch query["target"] {
        case "remote-videos":
            for (copy, item) in try await copies.held() {
                let uuid = item.video.uuid.lowercasedString
                rows.append(
                    RedundancyDTO(
                        id: item.video.id, name: item.video.name, url: item.video.remote?.url ?? "", uuid: uuid,
                        redundancies: .init(streamingPlaylists: [
                            .init(
                                id: copy.id, fileUrl: "\(baseURL)/static/redundancy/hls/\(uuid)",
                                strategy: copy.strategy.rawValue, size: copy.size, state: copy.state.rawValue,
                                createdAt: isoDate(copy.createdAt), updatedAt: isoDate(copy.updatedAt),
                                expiresOn: copy.expiresAt.map(isoDate))
                        ])))
            }
        case "my-videos":
            for (item, entries) in try await copies.mirrorsOfLocalVideos() {
                rows.append(
                    RedundancyDTO(
                        id: item.video.id, name: item.video.name,
                        url: ActivityPubURLs(baseURL: baseURL).video(item.video),
                        uuid: item.video.uuid.lowercasedString,
                        redundancies: .init(
                            streamingPlaylists: entries.map {
                                .init(
                                    id: $0.id, fileUrl: $0.baseURL, createdAt: isoDate($0.createdAt),
                                    updatedAt: isoDate($0.updatedAt), expiresOn: $0.expiresAt.map(isoDate))
                            })))
            }
        default:
            throw HerdError.badRequest("target must be my-videos or remote-videos")
        }
        let page = rows.dropFirst(pagination.start).prefix(pagination.count)
        return try JSON.response(ListResponse(total: rows.count, data: Array(page)))
    }

    struct ListResponse: Encodable {
        var total: Int
        var data: [RedundancyDTO]
    }

    @Sendable func remove(_ request: Request, context: HerdRequestContext) async throws -> Response {
        _ = try context.requireRole(.administrator)
        guard let id = Int64(try context.parameters.require("id")) else {
            throw HerdError.notFound("redundancy not found")
        }
        try await copies.remove(id: id)
        return Response(status: .noContent)
    }

    @Sendable func cacheFile(_ request: Request, context: HerdRequestContext) async throws -> Response {
        guard let uuid = UUID(uuidString: try context.parameters.require("uuid")) else {
            throw HerdError.notFound("no copy of this video here")
        }
        return ActivityPubResponse.json(try await copies.cacheFileDocument(videoUUID: uuid))
    }
}
