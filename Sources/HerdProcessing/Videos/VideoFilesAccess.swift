import Foundation
import HerdCore

/// Who may fetch the files of a private, internal or password-protected video (PeerTube's private static files,
/// issue 14): whoever may see the video, or anyone with an unexpired file token for it; and the passwords of
/// password-protected videos, managed by their owners.
public final class VideoFilesAccess: Sendable {
    let stores: Stores
    let catalog: VideoCatalog
    let tokens: VideoFileTokens
    let clock: any WallClock

    public init(stores: Stores, catalog: VideoCatalog, tokens: VideoFileTokens, clock: any WallClock) {
        self.stores = stores
        self.catalog = catalog
        self.tokens = tokens
        self.clock = clock
    }

    /// A short-lived token that opens the files of `video` (already found visible to the caller).
    public func issueToken(for video: VideoWithOwner) -> (token: String, expires: Date) {
        let issued = tokens.issue(videoUUID: video.video.uuid, now: clock.now())
        return (issued.token, issued.expires)
    }

    /// The video, when the request may fetch its files: by `token`, or as `viewer` (with `password`); 404 for an
    /// unknown video, 401 for an anonymous caller, 403 otherwise.
    public func authorizeFiles(of uuid: UUID, token: String?, viewer: Viewer, password: String?) async throws
        -> VideoWithOwner
    {
        guard let video = try await stores.videos.find(.uuid(uuid)) else { throw HerdError.notFound("File not found") }
        if let token, tokens.opens(token, videoUUID: uuid, now: clock.now()) { return video }
        if try await catalog.allows(video, viewer: viewer, password: password) { return video }
        if viewer.user == nil { throw HerdError.unauthorized("these files need a bearer token or a video file token") }
        throw HerdError.forbidden("you cannot access the files of this video")
    }

    /// Whether the caller may download the video's files (`/download/…`): the video's rules as for its files, and
    /// downloads enabled. Returns whether the files are private (and so served from the private folders).
    public func authorizeDownload(of uuid: UUID, token: String?, viewer: Viewer, password: String?) async throws
        -> Bool
    {
        guard let found = try await stores.videos.find(.uuid(uuid)) else { throw HerdError.notFound("File not found") }
        let privateFiles = found.video.privacy.filesArePrivate
        if privateFiles { _ = try await authorizeFiles(of: uuid, token: token, viewer: viewer, password: password) }
        guard found.video.downloadEnabled else { throw HerdError.forbidden("downloads of this video are disabled") }
        return privateFiles
    }

    /// Whether a local video's torrents may be served: only those of videos whose files are public (the others are
    /// neither tracked nor seeded). Unknown videos' names are left to the file system to answer.
    public func torrentsArePublic(of uuid: UUID) async throws -> Bool {
        guard let found = try await stores.videos.find(.uuid(uuid)) else { return true }
        return !found.video.privacy.filesArePrivate
    }

    /// The video named by `reference` if `user` manages it and it is password-protected.
    public func managedProtected(_ reference: VideoReference, by user: User, password: String?) async throws
        -> VideoWithOwner
    {
        let video = try await catalog.managed(reference, by: user, password: password)
        guard video.video.privacy == .passwordProtected else {
            throw HerdError.badRequest("this video is not password protected")
        }
        return video
    }

    public func passwords(of video: VideoWithOwner) async throws -> [VideoPassword] {
        try await stores.videoPasswords.list(videoId: video.video.id)
    }

    public func replacePasswords(of video: VideoWithOwner, with passwords: [String]) async throws {
        try await stores.videoPasswords.replace(
            videoId: video.video.id, with: try VideoPassword.validated(passwords), now: clock.now())
    }

    /// Deletes one password; the last one stays (a password-protected video needs one).
    public func deletePassword(_ id: Int64, of video: VideoWithOwner) async throws {
        let passwords = try await stores.videoPasswords.list(videoId: video.video.id)
        guard passwords.contains(where: { $0.id == id }) else { throw HerdError.notFound("password not found") }
        guard passwords.count > 1 else {
            throw HerdError.forbidden("cannot delete the last password of a password-protected video")
        }
        _ = try await stores.videoPasswords.delete(id: id, videoId: video.video.id)
    }
}
