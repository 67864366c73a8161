import Foundation
import HerdCore
import HerdProcessing

/// PeerTube's `VideoComment` JSON.
struct CommentDTO: Encodable {
    var id: Int64
    var url: String
    var text: String
    var threadId: Int64
    var inReplyToCommentId: Int64?
    var videoId: Int64
    var createdAt: String
    var updatedAt: String
    var deletedAt: String?
    var isDeleted: Bool
    var heldForReview: Bool
    var totalRepliesFromVideoAuthor = 0
    var totalReplies: Int
    var account: ActorSummaryDTO?

    init(_ value: CommentWithAuthor, video: Video, baseURL: String, localHost: String) {
        let comment = value.comment
        id = comment.id
        url = ActivityPubURLs(baseURL: baseURL).comment(comment, video: video)
        text = comment.text
        threadId = comment.threadId
        inReplyToCommentId = comment.inReplyToCommentId
        videoId = comment.videoId
        createdAt = isoDate(comment.createdAt)
        updatedAt = isoDate(comment.updatedAt)
        deletedAt = comment.deletedAt.map(isoDate)
        isDeleted = comment.isDeleted
        heldForReview = comment.heldForReview
        totalReplies = value.totalReplies
        account =
            comment.isDeleted ? nil : value.account.map { ActorSummaryDTO($0, baseURL: baseURL, localHost: localHost) }
    }
}

/// `GET …/comment-threads`: the page, plus PeerTube's count of comments not deleted.
struct CommentThreadsDTO: Encodable {
    var total: Int
    var totalNotDeletedComments: Int
    var data: [CommentDTO]
}

/// `GET …/comment-threads/{id}`: a comment and its replies, as a tree.
struct CommentTreeDTO: Encodable {
    var comment: CommentDTO
    var children: [CommentTreeDTO]
}
