import Foundation
import HerdCore
import HerdProcessing
import Hummingbird

/// Access to the files of private videos (issue 14), as PeerTube 6 has it: `POST /api/v1/videos/{id}/token` for a
/// short-lived file token, and the passwords of password-protected videos (`GET`/`PUT /api/v1/videos/{id}/passwords`,
/// `DELETE …/passwords/{passwordId}`).
struct VideoFilesAccessController: Sendable {
    let catalog: VideoCatalog
    let access: VideoFilesAccess

    func addRoutes(to router: Router<HerdRequestContext>) {
        router.post("/api/v1/videos/:id/token", use: token)
        router.get("/api/v1/videos/:id/passwords", use: listPasswords)
        router.put("/api/v1/videos/:id/passwords", use: replacePasswords)
        router.delete("/api/v1/videos/:id/passwords/:passwordId", use: deletePassword)
    }

    struct TokenDTO: Encodable {
        struct Files: Encodable {
            var token: String
            var expires: String
        }
        var files: Files
    }

    /// A file token for whoever may see the video (bearer token, or the password of a password-protected video).
    @Sendable func token(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let issued = access.issueToken(for: try await catalog.visible(context))
        return try JSON.response(TokenDTO(files: .init(token: issued.token, expires: isoDate(issued.expires))))
    }

    struct PasswordDTO: Encodable {
        var id: Int64
        var password: String
        var videoId: Int64
        var createdAt: String
        var updatedAt: String
    }

    struct PasswordListDTO: Encodable {
        var total: Int
        var data: [PasswordDTO]
    }

    /// A password-protected video the caller manages.
    func managedProtected(_ context: HerdRequestContext) async throws -> VideoWithOwner {
        try await access.managedProtected(
            context.videoReference(), by: try context.requireUser(), password: context.videoPassword)
    }

    @Sendable func listPasswords(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let video = try await managedProtected(context)
        let pagination = try Pagination(
            start: request.uri.queryParameters["start"].map(String.init),
            count: request.uri.queryParameters["count"].map(String.init))
        let all = try await access.passwords(of: video)
        let page = all.dropFirst(pagination.start).prefix(pagination.count).map {
            PasswordDTO(
                id: $0.id, password: $0.password, videoId: $0.videoId, createdAt: isoDate($0.createdAt),
                updatedAt: isoDate($0.updatedAt))
        }
        return try JSON.response(PasswordListDTO(total: all.count, data: Array(page)))
    }

    struct PasswordsInput: Decodable {
        var passwords: [String]
    }

    @Sendable func replacePasswords(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let video = try await managedProtected(context)
        let input = try await JSON.decode(PasswordsInput.self, from: request, limit: 64 * 1024)
        try await access.replacePasswords(of: video, with: input.passwords)
        return Response(status: .noContent)
    }

    @Sendable func deletePassword(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let video = try await managedProtected(context)
        guard let id = Int64(try context.parameters.require("passwordId")) else {
            throw HerdError.badRequest("passwordId must be a number")
        }
        try await access.deletePassword(id, of: video)
        return Response(status: .noContent)
    }
}
