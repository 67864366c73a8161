import Foundation

/// One password of a password-protected video (privacy 5, PeerTube 6): whoever sends it in
/// `x-peertube-video-password` sees the video and its files. Kept as given, as PeerTube does, so the owner can read
/// them back (`GET /api/v1/videos/{id}/passwords`).
public struct VideoPassword: Sendable, Equatable {
    public var id: Int64
    public var videoId: Int64
    public var password: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: Int64, videoId: Int64, password: String, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.videoId = videoId
        self.password = password
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// PeerTube's rules: 2 to 100 characters each, no duplicates; at most `maxCount` per video.
    public static let lengths = 2...100
    public static let maxCount = 100

    /// The passwords checked, or the reason they cannot be used.
    public static func validated(_ passwords: [String]) throws(HerdError) -> [String] {
        guard !passwords.isEmpty else {
            throw HerdError.badRequest("a password-protected video needs at least one password (videoPasswords)")
        }
        guard passwords.count <= maxCount else {
            throw HerdError.badRequest("a video has at most \(maxCount) passwords")
        }
        guard passwords.allSatisfy({ lengths.contains($0.count) }) else {
            throw HerdError.badRequest("each password has \(lengths.lowerBound) to \(lengths.upperBound) characters")
        }
        guard Set(passwords).count == passwords.count else { throw HerdError.badRequest("passwords must be unique") }
        return passwords
    }
}

public protocol VideoPasswordStore: Sendable {
    func list(videoId: Int64) async throws -> [VideoPassword]
    /// Replaces every password of the video.
    func replace(videoId: Int64, with passwords: [String], now: Date) async throws
    /// Deletes one password; false when the video has no such password.
    func delete(id: Int64, videoId: Int64) async throws -> Bool
    func contains(videoId: Int64, password: String) async throws -> Bool
}
