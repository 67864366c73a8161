import Foundation
import HTTPTypes
import HerdCore

/// Who may see a video and fetch its files: `VideoVisibility`'s rules, with the password of a password-protected
/// video (PeerTube 6: `x-peertube-video-password`, 403 `video_requires_password` without one and
/// `incorrect_video_password` with a wrong one).
struct VideoAccess: Sendable {
    static let passwordHeader = HTTPField.Name("x-peertube-video-password")!
    let stores: Stores

    /// Whether `viewer` may see `video`; throws 403 with PeerTube's codes for a password-protected video without
    /// the right password.
    func allows(_ video: VideoWithOwner, viewer: Viewer, password: String?) async throws -> Bool {
        if VideoVisibility.canView(video.video, ownerUserId: video.account.userId, viewer: viewer) { return true }
        guard video.video.privacy == .passwordProtected, video.video.state == .published else { return false }
        guard let password else {
            throw HerdError(.forbidden, "this video is protected by a password", code: "video_requires_password")
        }
        guard try await stores.videoPasswords.contains(videoId: video.video.id, password: password) else {
            throw HerdError(.forbidden, "incorrect video password", code: "incorrect_video_password")
        }
        return true
    }
}
