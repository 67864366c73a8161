import Foundation
import HerdCore
import HerdProcessing
import Hummingbird

/// Comment threads of a video (PeerTube's `/api/v1/videos/{id}/comment-threads` and `/comments`): list, read a
/// thread as a tree, start a thread, reply, delete and approve (`VideoComments` decides and federates).
struct CommentsController: Sendable {
    let catalog: VideoCatalog
    let comments: VideoComments
    let settings: Settings

    func addRoutes(to router: Router<HerdRequestContext>) {
        router.get("/api/v1/videos/:id/comment-threads", use: threads)
        router.get("/api/v1/videos/:id/comment-threads/:threadId", use: thread)
        router.post("/api/v1/videos/:id/comment-threads", use: startThread)
        router.post("/api/v1/videos/:id/comments/:commentId", use: reply)
        router.delete("/api/v1/videos/:id/comments/:commentId", use: delete)
        router.post("/api/v1/videos/:id/comments/:commentId/approve", use: approve)
    }

    func dto(_ value: CommentWithAuthor, _ video: Video) -> CommentDTO {
        CommentDTO(value, video: video, baseURL: settings.baseURL, localHost: settings.publicHost)
    }

    static func commentId(_ context: HerdRequestContext, _ name: String, missing: String) throws -> Int64 {
        guard let id = Int64(try context.parameters.require(name)) else { throw HerdError.notFound(missing) }
        return id
    }

    @Sendable func threads(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let video = try await catalog.visible(context)
        let query = QueryParameters(request.uri.query)
        let (page, notDeleted) = try await comments.threads(
            of: video, viewer: context.viewer, pagination: try query.pagination(),
            sort: try CommentSort(query: query["sort"]))
        return try JSON.response(
            CommentThreadsDTO(
                total: page.total, totalNotDeletedComments: notDeleted, data: page.data.map { dto($0, video.video) }))
    }

    @Sendable func thread(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let video = try await catalog.visible(context)
        let id = try Self.commentId(context, "threadId", missing: "Video comment thread not found")
        let all = try await comments.thread(id, of: video, viewer: context.viewer)
        var children: [Int64: [CommentWithAuthor]] = [:]
        for comment in all.dropFirst() {
            children[comment.comment.inReplyToCommentId ?? id, default: []].append(comment)
        }
        func tree(_ node: CommentWithAuthor, depth: Int) -> CommentTreeDTO {
            let below = depth < 100 ? children[node.comment.id] ?? [] : []
            return CommentTreeDTO(comment: dto(node, video.video), children: below.map { tree($0, depth: depth + 1) })
        }
        return try JSON.response(tree(all[0], depth: 0))
    }

    @Sendable func startThread(_ request: Request, context: HerdRequestContext) async throws -> Response {
        try await add(request, context: context, replyingTo: nil)
    }

    @Sendable func reply(_ request: Request, context: HerdRequestContext) async throws -> Response {
        try await add(
            request, context: context,
            replyingTo: try Self.commentId(context, "commentId", missing: "Video comment not found"))
    }

    func add(_ request: Request, context: HerdRequestContext, replyingTo parentId: Int64?) async throws -> Response {
        let user = try context.requireUser()
        let video = try await catalog.visible(context)
        let text = try await Self.text(from: request)
        let created = try await comments.add(text, to: video, replyingTo: parentId, by: user)
        return try JSON.response(["comment": dto(created, video.video)])
    }

    @Sendable func delete(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let video = try await catalog.visible(context)
        let id = try Self.commentId(context, "commentId", missing: "Video comment not found")
        try await comments.delete(id, of: video, by: user)
        return Response(status: .noContent)
    }

    @Sendable func approve(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let video = try await catalog.visible(context)
        let id = try Self.commentId(context, "commentId", missing: "Video comment not found")
        try await comments.approve(id, of: video, by: user)
        return Response(status: .noContent)
    }

    struct TextInput: Decodable { var text: String? }

    /// The `text` field (JSON, urlencoded or multipart), trimmed, 1 to 10,000 characters.
    static func text(from request: Request) async throws -> String {
        let contentType = request.headers[.contentType]?.lowercased() ?? "application/json"
        let raw: String?
        if contentType.hasPrefix("application/json") {
            raw = try await JSON.decode(TextInput.self, from: request, limit: 256 * 1024).text
        } else {
            raw = try await FormInput.fields(from: request, limit: 256 * 1024)["text"]?.first
        }
        let text = (raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= CommentText.maxLength else {
            throw HerdError.badRequest("text must hold 1 to \(CommentText.maxLength) characters")
        }
        return text
    }
}
