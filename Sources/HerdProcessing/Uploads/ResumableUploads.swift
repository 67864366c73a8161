import Foundation
import HerdCore
import HerdCrypto
import Logging

/// The sessions of PeerTube's resumable upload protocol (uploadx): opened with the file's size and metadata
/// (checked before any byte is sent), found again by their owner, and finished through `VideoIngest` once every
/// byte arrived. The bytes go to one file per session (`file(of:)`), written by the HTTP layer; its length is what
/// the server has received, so a session survives a restart.
public final class ResumableUploads: Sendable {
    let stores: Stores
    let ingest: VideoIngest
    let layout: StorageLayout
    let clock: any WallClock

    public init(stores: Stores, ingest: VideoIngest, layout: StorageLayout, clock: any WallClock) {
        self.stores = stores
        self.ingest = ingest
        self.layout = layout
        self.clock = clock
    }

    /// Where the session's bytes are written.
    public func file(of session: UploadSession) -> String { layout.resumableUpload(id: session.id) }

    /// Opens a session for `total` bytes of `filename`; an unfinished session of the same file by the same user is
    /// resumed instead (`resumed` true).
    public func open(
        filename: String, total: Int64, mimeType: String?, metadata: Data, fields: some UploadedVideoFields,
        by user: User
    ) async throws -> (session: UploadSession, resumed: Bool) {
        guard !filename.isEmpty, filename.count <= 255 else { throw HerdError.badRequest("filename is required") }
        try VideoIngest.checkExtension(filename)
        // The metadata is checked now, so a bad name fails before gigabytes are sent.
        let channelId = try await ingest.ownedChannelId(fields.channelId, user: user)
        let checked = try fields.newVideo(uuid: UUID(), originalFilename: filename, originalSize: total)
        _ = try fields.passwords(privacy: checked.privacy, before: nil)
        if let existing = try await stores.uploads.findResumable(userId: user.id, filename: filename, totalSize: total)
        {
            return (existing, true)
        }
        try await ingest.checkSize(total, for: user)
        let now = clock.now()
        let session = UploadSession(
            id: SecureRandom.token(byteCount: 16), userId: user.id, channelId: channelId, filename: filename,
            mimeType: mimeType, totalSize: total, metadata: metadata, createdAt: now, updatedAt: now)
        try await stores.uploads.insert(session)
        return (session, false)
    }

    /// The user's session `id`; 404 for another's or an unknown one.
    public func session(_ id: String?, of user: User) async throws -> UploadSession {
        guard let id, !id.isEmpty, let session = try await stores.uploads.find(id: id), session.userId == user.id
        else { throw HerdError.notFound("Upload session not found") }
        return session
    }

    /// Bytes arrived: the session is alive (the janitor leaves it).
    public func touch(_ session: UploadSession) async throws {
        try await stores.uploads.touch(id: session.id, at: clock.now())
    }

    /// Every byte arrived: the video is made from the file (`fields` are the session's stored metadata, read by the
    /// caller); the session ends either way, since ingest removes the file when it fails.
    public func finish(
        _ session: UploadSession, prefix: [UInt8], fields: some UploadedVideoFields, by user: User, logger: Logger
    ) async throws -> Video {
        do {
            let video = try await ingest.finish(
                tempPath: file(of: session), prefix: prefix, size: session.totalSize, filename: session.filename,
                input: fields, user: user, sessionId: session.id, logger: logger)
            try await stores.uploads.delete(id: session.id)
            return video
        } catch {
            try? await stores.uploads.delete(id: session.id)
            throw error
        }
    }

    /// The client gave up: the session and its bytes go.
    public func cancel(_ session: UploadSession) async throws {
        try await stores.uploads.delete(id: session.id)
        let path = file(of: session)
        await Task.detached { try? FileManager.default.removeItem(atPath: path) }.value
    }
}
