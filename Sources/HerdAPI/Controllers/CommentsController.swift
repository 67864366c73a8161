import Foundation
import HerdCore
import HerdProcessing
import Hummingbird

/// Comment threads of a video (PeerTube's `/api/v1/videos/{id}/comment-threads` and `/comments`): list, read a
/// thread as a tree, start a thread, reply, delete (soft: the text goes, replies keep their place), and approve a
/// held comment. The video's `commentsPolicy` applies: disabled refuses new comments (409), requires-approval holds
/// them for the owner. Each new or deleted comment is sent to the instances that should know (`CommentFederation`).
public struct CommentsController: Sendable {
    let services: APIServices
    let videos: VideosController

    public init(services: APIServices) {
        self.services = services
        self.videos = VideosController(services: services)
    }

    public func addRoutes(to router: Router<HerdRequestContext>) {
        router.get("/api/v1/videos/:id/comment-threads", use: threads)
        router.get("/api/v1/videos/:id/comment-threads/:threadId", use: thread)
        router.post("/api/v1/videos/:id/comment-threads", use: startThread)
        router.post("/api/v1/videos/:id/comments/:commentId", use: reply)
        router.delete("/api/v1/videos/:id/comments/:commentId", use: delete)
        router.post("/api/v1/videos/:id/comments/:commentId/approve", use: approve)
    }

    var stores: Stores { services.stores }

    /// Whether the viewer sees every held comment of the video: its owner, or staff.
    func seesHeld(_ video: VideoWithOwner, _ context: HerdRequestContext) -> Bool {
        guard let user = context.viewer.user else { return false }
        return user.role.isStaff || user.id == video.account.userId
    }

    func viewerAccountId(_ context: HerdRequestContext) async throws -> Int64? {
        guard let user = context.viewer.user else { return nil }
        return try await stores.accounts.find(userId: user.id)?.id
    }

    func dto(_ value: CommentWithAuthor, _ video: Video) -> CommentDTO {
        CommentDTO(value, video: video, baseURL: services.settings.baseURL, localHost: services.settings.publicHost)
    }

    @Sendable func threads(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let video = try await videos.findVisible(context)
        let query = QueryParameters(request.uri.query)
        let page = try await stores.comments.threads(
            videoId: video.video.id, pagination: try query.pagination(), sort: try CommentSort(query: query["sort"]),
            viewerAccountId: try await viewerAccountId(context), includeHeld: seesHeld(video, context))
        let notDeleted = try await stores.comments.countVisible(videoId: video.video.id)
        return try JSON.response(
            CommentThreadsDTO(
                total: page.total, totalNotDeletedComments: notDeleted,
                data: page.data.map { dto($0, video.video) }))
    }

    @Sendable func thread(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let video = try await videos.findVisible(context)
        guard let id = Int64(try context.parameters.require("threadId")),
            let root = try await stores.comments.find(id: id), root.comment.videoId == video.video.id,
            root.comment.isRoot
        else { throw HerdError.notFound("Video comment thread not found") }
        let comments = try await stores.comments.thread(
            id: id, viewerAccountId: try await viewerAccountId(context), includeHeld: seesHeld(video, context))
        var children: [Int64: [CommentWithAuthor]] = [:]
        for comment in comments where !comment.comment.isRoot {
            children[comment.comment.inReplyToCommentId ?? id, default: []].append(comment)
        }
        func tree(_ node: CommentWithAuthor, depth: Int) -> CommentTreeDTO {
            let below = depth < 100 ? children[node.comment.id] ?? [] : []
            return CommentTreeDTO(
                comment: dto(node, video.video), children: below.map { tree($0, depth: depth + 1) })
        }
        var top = root
        top.totalReplies = comments.count - 1
        return try JSON.response(tree(top, depth: 0))
    }

    @Sendable func startThread(_ request: Request, context: HerdRequestContext) async throws -> Response {
        try await add(request, context: context, replyingTo: nil)
    }

    @Sendable func reply(_ request: Request, context: HerdRequestContext) async throws -> Response {
        try await add(request, context: context, replyingTo: try context.parameters.require("commentId"))
    }

    func add(_ request: Request, context: HerdRequestContext, replyingTo parentId: String?) async throws -> Response {
        let user = try context.requireUser()
        let video = try await videos.findVisible(context)
        var parent: Comment?
        if let parentId {
            guard let id = Int64(parentId), let found = try await stores.comments.find(id: id),
                found.comment.videoId == video.video.id, !found.comment.isDeleted
            else { throw HerdError.notFound("Video comment not found") }
            parent = found.comment
        }
        let text = try await Self.text(from: request)
        let isOwner = user.id == video.account.userId
        switch video.video.commentsPolicy {
        case .disabled where !isOwner: throw HerdError.conflict("Video comments are disabled")
        default: break
        }
        guard let account = try await stores.accounts.find(userId: user.id) else {
            throw HerdError.internalError("the user has no account")
        }
        let held = video.video.commentsPolicy == .requiresApproval && !isOwner && !user.role.isStaff
        let comment = try await stores.comments.create(
            NewComment(
                videoId: video.video.id, inReplyTo: parent, accountId: account.id, text: text, heldForReview: held))
        if !held {
            try await services.processing.commentFederation.created(
                comment, author: account, video: video, parent: parent)
        }
        let created = CommentWithAuthor(comment: comment, account: account)
        return try JSON.response(["comment": dto(created, video.video)])
    }

    @Sendable func delete(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let video = try await videos.findVisible(context)
        guard let id = Int64(try context.parameters.require("commentId")),
            let found = try await stores.comments.find(id: id), found.comment.videoId == video.video.id
        else { throw HerdError.notFound("Video comment not found") }
        let isAuthor = found.account?.userId == user.id && found.account?.userId != nil
        guard isAuthor || user.id == video.account.userId || user.role.isStaff else {
            throw HerdError.forbidden("Cannot remove a comment of another user")
        }
        guard !found.comment.isDeleted else { return Response(status: .noContent) }
        try await stores.comments.markDeleted(id: id, at: services.clock.now())
        if !found.comment.heldForReview, let author = found.account {
            let parent = try await stores.comments.parent(of: found.comment)
            try await services.processing.commentFederation.deleted(
                found.comment, author: author, video: video, parent: parent)
        }
        return Response(status: .noContent)
    }

    @Sendable func approve(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let video = try await videos.findVisible(context)
        guard user.id == video.account.userId || user.role.isStaff else {
            throw HerdError.forbidden("Only the video's owner approves its comments")
        }
        guard let id = Int64(try context.parameters.require("commentId")),
            let found = try await stores.comments.find(id: id), found.comment.videoId == video.video.id
        else { throw HerdError.notFound("Video comment not found") }
        guard found.comment.heldForReview else { return Response(status: .noContent) }
        try await stores.comments.approve(id: id)
        if let author = found.account {
            let parent = try await stores.comments.parent(of: found.comment)
            var approved = found.comment
            approved.heldForReview = false
            try await services.processing.commentFederation.created(
                approved, author: author, video: video, parent: parent)
        }
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
