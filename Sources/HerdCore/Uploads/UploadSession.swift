import Foundation

/// A resumable upload in progress (PeerTube's uploadx protocol). The bytes live in a file named by `id`;
/// that file's length, not a counter, is the truth about what has been received, so a session
/// survives a crash of the server.
public struct UploadSession: Sendable, Equatable {
    public var id: String
    public var userId: Int64
    public var channelId: Int64
    public var filename: String
    public var mimeType: String?
    public var totalSize: Int64
    /// The init request's JSON body (name, privacy, tags, …), kept to create the video at the end.
    public var metadata: Data
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String, userId: Int64, channelId: Int64, filename: String, mimeType: String?, totalSize: Int64,
        metadata: Data, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.userId = userId
        self.channelId = channelId
        self.filename = filename
        self.mimeType = mimeType
        self.totalSize = totalSize
        self.metadata = metadata
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// Persistence of resumable upload sessions.
public protocol UploadStore: Sendable {
    func insert(_ session: UploadSession) async throws
    func find(id: String) async throws -> UploadSession?
    /// An unfinished session of the same user for the same file name and size, to resume.
    func findResumable(userId: Int64, filename: String, totalSize: Int64) async throws -> UploadSession?
    func touch(id: String, at date: Date) async throws
    func delete(id: String) async throws
    /// Sessions not touched since `date`.
    func list(idleSince date: Date) async throws -> [UploadSession]
    /// Bytes announced by the user's open sessions, reserved against the quota.
    func reservedBytes(userId: Int64, excluding id: String?) async throws -> Int64
}
