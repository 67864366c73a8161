import Foundation
import HerdCore

/// Finding videos as a viewer may see them: `VideoVisibility`'s rules, with the password of a password-protected
/// video (PeerTube 6: 403 `video_requires_password` without one, `incorrect_video_password` with a wrong one), and
/// 404 for what the viewer may not see, so private videos do not reveal that they exist.
public final class VideoCatalog: Sendable {
    let stores: Stores
    let mirrorHealth: MirrorHealth
    let remoteTorrents: RemoteTorrents
    let clock: any WallClock

    public init(stores: Stores, mirrorHealth: MirrorHealth, remoteTorrents: RemoteTorrents, clock: any WallClock) {
        self.stores = stores
        self.mirrorHealth = mirrorHealth
        self.remoteTorrents = remoteTorrents
        self.clock = clock
    }

    /// Whether `viewer` may see `video`; throws 403 with PeerTube's codes for a password-protected video without
    /// the right password.
    public func allows(_ video: VideoWithOwner, viewer: Viewer, password: String?) async throws -> Bool {
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

    /// The video if `viewer` may see it; 404 otherwise.
    public func visible(_ reference: VideoReference, viewer: Viewer, password: String?) async throws
        -> VideoWithOwner
    {
        guard let found = try await stores.videos.find(reference),
            try await allows(found, viewer: viewer, password: password)
        else { throw HerdError.notFound("Video not found") }
        return found
    }

    /// The video if `user` may change it: 404 when it cannot be seen, 403 when it can but is not theirs.
    public func managed(_ reference: VideoReference, by user: User, password: String?) async throws
        -> VideoWithOwner
    {
        let video = try await visible(reference, viewer: Viewer(user: user), password: password)
        guard VideoVisibility.canManage(ownerUserId: video.account.userId, viewer: Viewer(user: user)) else {
            throw HerdError.forbidden("Cannot manage a video of another user")
        }
        return video
    }

    /// A video's page: the video, its files, the mirrors that answer, torrents kept here, and its transcoding job.
    public struct Details: Sendable {
        public var video: VideoWithOwner
        public var files: [VideoFile]
        /// Other instances' copies of a local video, for players and BitTorrent clients to fail over to (issue 6);
        /// for a remote video, the mirrors its origin forwarded.
        public var mirrors: [String]
        /// Where a remote video's torrents kept here (with the mirrors as web seeds) are served from.
        public var remoteTorrents: String?
        /// The transcoding job of a video waiting for it.
        public var transcoding: Job?
    }

    /// The video, its files and its mirrors in one read (issue 16: one trip to the database per request).
    public func details(_ reference: VideoReference, viewer: Viewer, password: String?) async throws -> Details {
        guard let found = try await stores.videos.findWithMedia(reference, now: clock.now()),
            try await allows(found.video, viewer: viewer, password: password)
        else { throw HerdError.notFound("Video not found") }
        let video = found.video.video
        var job: Job?
        if video.state == .toTranscode {
            job = try await stores.jobs.latest(
                kind: TranscodeVideoPayload.kind.rawValue, payloadContaining: video.uuid.lowercasedString)
        }
        return Details(
            video: found.video, files: found.files, mirrors: mirrorHealth.filter(found.mirrors.map(\.baseURL)),
            remoteTorrents: await remoteTorrents.isKept(video) ? remoteTorrents.baseURL(video) : nil, transcoding: job)
    }

    /// A page of videos (the query already holds the viewer's privacy rules).
    public func list(_ query: VideoQuery) async throws -> Page<VideoWithOwner> {
        try await stores.videos.list(query)
    }
}

extension VideoCatalog {
    /// The video, whoever may see it: for pages that explain themselves once they know who is asking.
    public func find(_ reference: VideoReference) async throws -> VideoWithOwner? {
        try await stores.videos.find(reference)
    }

    /// The video if it is for everyone to share (published, public or unlisted): sharing tags and oEmbed.
    public func shareable(_ reference: VideoReference) async throws -> VideoWithOwner? {
        guard let found = try await stores.videos.find(reference), found.video.state == .published,
            found.video.privacy == .public || found.video.privacy == .unlisted
        else { return nil }
        return found
    }
}
