import Foundation
import HerdCore
import Logging

/// The metadata sent with an upload (the API's form or JSON fields), as ingest reads it.
public protocol UploadedVideoFields: Sendable {
    var channelId: Int64? { get }
    /// The new video, validated; throws a clear error for bad metadata.
    func newVideo(uuid: UUID, originalFilename: String?, originalSize: Int64) throws -> NewVideo
    /// The passwords of a password-protected video (nil: none given).
    func passwords(privacy: VideoPrivacy, before: VideoPrivacy?) throws -> [String]?
}

/// The shared end of both upload protocols: quota, sniffing, moving the original into the media store and
/// creating the video in the `TO_TRANSCODE` state with its transcoding job.
public final class VideoIngest: Sendable {
    let stores: Stores
    let media: any MediaStore
    let reservations: UploadReservations
    let events: ContentEvents
    /// `upload.max_file_size`.
    public let maxFileSize: Int64
    let clock: any WallClock

    public init(
        stores: Stores, media: any MediaStore, reservations: UploadReservations, events: ContentEvents,
        maxFileSize: Int64, clock: any WallClock
    ) {
        self.stores = stores
        self.media = media
        self.reservations = reservations
        self.events = events
        self.maxFileSize = maxFileSize
        self.clock = clock
    }

    static let allowedExtensions = Set(VideoConstants.uploadExtensions)

    /// Bytes the user may still upload; `Int64.max` when unlimited.
    /// - Parameters:
    ///   - sessionId: the resumable session asking (its own reservation does not count against it);
    ///   - reservation: likewise, the streaming upload asking.
    public func remainingQuota(for user: User, excludingSession sessionId: String? = nil, reservation: Int64? = nil)
        async throws -> Int64
    {
        let reserved =
            try await stores.uploads.reservedBytes(userId: user.id, excluding: sessionId)
            + reservations.reserved(userId: user.id, excluding: reservation)
        var remaining = Int64.max
        if user.videoQuota >= 0 {
            let used = try await stores.videos.usedQuota(userId: user.id, since: nil)
            remaining = min(remaining, user.videoQuota - used - reserved)
        }
        if user.videoQuotaDaily >= 0 {
            let since = clock.now().addingTimeInterval(-86400)
            let used = try await stores.videos.usedQuota(userId: user.id, since: since)
            remaining = min(remaining, user.videoQuotaDaily - used - reserved)
        }
        return max(0, remaining)
    }

    public static let quotaError = HerdError(
        .payloadTooLarge, "The user video quota is exceeded with this video.", code: "quota_reached"
    )

    public func sizeError() -> HerdError {
        HerdError(
            .payloadTooLarge, "The file is larger than the maximum of \(maxFileSize) bytes.",
            code: "max_file_size_reached"
        )
    }

    /// Refuses a size before any byte is accepted.
    public func checkSize(_ size: Int64, for user: User, excludingSession sessionId: String? = nil) async throws {
        guard size <= maxFileSize else { throw sizeError() }
        guard size <= (try await remainingQuota(for: user, excludingSession: sessionId)) else { throw Self.quotaError }
    }

    /// The extension to store the original with: the client's if allowed, otherwise one from the container.
    static func fileExtension(filename: String?, container: MediaSniffer.Container) -> String {
        if let filename, let dot = filename.lastIndex(of: ".") {
            let ext = filename[dot...].lowercased()
            if allowedExtensions.contains(ext) { return ext }
        }
        switch container {
        case .mp4: return ".mp4"
        case .matroska: return ".mkv"
        case .ogg: return ".ogg"
        case .avi: return ".avi"
        case .flv: return ".flv"
        case .mpegTS: return ".ts"
        case .mpegPS: return ".mpg"
        case .wav: return ".wav"
        case .mp3: return ".mp3"
        case .flac: return ".flac"
        case .aac: return ".aac"
        case .asf: return ".wmv"
        }
    }

    /// Checks that the client's extension is one PeerTube accepts (when it gave one).
    public static func checkExtension(_ filename: String?) throws {
        guard let filename, let dot = filename.lastIndex(of: ".") else { return }
        guard allowedExtensions.contains(filename[dot...].lowercased()) else {
            throw HerdError(.unsupportedMediaType, "This file extension is not supported: \(filename[dot...])")
        }
    }

    /// Turns a complete upload at `tempPath` into a video. On any failure the file is removed.
    public func finish(
        tempPath: String, prefix: [UInt8], size: Int64, filename: String?, input: some UploadedVideoFields,
        user: User, sessionId: String?, reservation: Int64? = nil, logger: Logger
    ) async throws -> Video {
        do {
            guard size > 0, let container = MediaSniffer.sniff(prefix) else {
                throw HerdError(
                    .unprocessable, "The uploaded file is not a supported video or audio file.",
                    code: "invalid_video_file")
            }
            guard size <= (try await remainingQuota(for: user, excludingSession: sessionId, reservation: reservation))
            else { throw Self.quotaError }
            _ = try await ownedChannelId(input.channelId, user: user)
            let uuid = UUID()
            let new = try input.newVideo(uuid: uuid, originalFilename: filename, originalSize: size)
            let passwords = try input.passwords(privacy: new.privacy, before: nil) ?? []
            let original = uuid.lowercasedString + Self.fileExtension(filename: filename, container: container)
            try await media.put(.originals, original, movingFrom: tempPath)
            do {
                // The video, its passwords and its transcoding job in one transaction: a crash leaves all or none.
                let (stores, now) = (stores, clock.now())
                let video = try await stores.transaction {
                    let video = try await stores.videos.create(new)
                    if !passwords.isEmpty {
                        try await stores.videoPasswords.replace(
                            videoId: video.id, with: passwords, now: video.createdAt)
                    }
                    _ = try await stores.jobs.enqueue(
                        TranscodeVideoPayload(videoUUID: uuid), runAfter: now, maxAttempts: 3)
                    events.publish(.video(id: video.id))
                    return video
                }
                logger.info(
                    "video uploaded", metadata: ["uuid": "\(uuid)", "bytes": "\(size)", "container": "\(container)"])
                return video
            } catch {
                try? await media.delete(.originals, original)
                throw error
            }
        } catch {
            await Task.detached { try? FileManager.default.removeItem(atPath: tempPath) }.value
            throw error
        }
    }

    /// The channel to upload into: the given one if the user owns it.
    public func ownedChannelId(_ channelId: Int64?, user: User) async throws -> Int64 {
        guard let channelId else { throw HerdError.badRequest("channelId is required") }
        guard let channel = try await stores.channels.find(id: channelId) else {
            throw HerdError.badRequest("channelId does not name an existing channel")
        }
        guard channel.owner.userId == user.id else {
            throw HerdError.forbidden("Cannot upload to a channel of another user")
        }
        return channelId
    }
}
