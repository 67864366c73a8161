import Foundation
import HerdCore
import HerdCrypto
import Synchronization

/// Short-lived tokens for the files of private, internal and password-protected videos
/// (`POST /api/v1/videos/{id}/token`, accepted as `?videoFileToken=`), kept in memory as PeerTube keeps them: a
/// player that outlives a restart asks for a new one. Each token opens one video's files until it expires.
public final class VideoFileTokens: Sendable {
    /// How long a token opens the files (PeerTube: 8 hours).
    public static let lifetime: TimeInterval = 8 * 3600
    /// Tokens kept at most; the oldest go first.
    public static let capacity = 100_000

    private struct Entry {
        var videoUUID: UUID
        var expires: Date
    }

    private let entries = Mutex<[String: Entry]>([:])

    public init() {}

    /// A new token for the files of `videoUUID`, and when it expires.
    public func issue(videoUUID: UUID, now: Date) -> (token: String, expires: Date) {
        let token = Digest.hex(SecureRandom.bytes(24))
        let expires = now.addingTimeInterval(Self.lifetime)
        entries.withLock { entries in
            if entries.count >= Self.capacity {
                entries = entries.filter { $0.value.expires > now }
                if entries.count >= Self.capacity,
                    let oldest = entries.min(by: { $0.value.expires < $1.value.expires })?.key
                {
                    entries.removeValue(forKey: oldest)
                }
            }
            entries[token] = Entry(videoUUID: videoUUID, expires: expires)
        }
        return (token, expires)
    }

    /// Whether `token` opens the files of `videoUUID` at `now`.
    public func opens(_ token: String, videoUUID: UUID, now: Date) -> Bool {
        guard token.utf8.count == 48 else { return false }
        return entries.withLock { entries in
            guard let entry = entries[token] else { return false }
            guard entry.expires > now else {
                entries.removeValue(forKey: token)
                return false
            }
            return entry.videoUUID == videoUUID
        }
    }
}
