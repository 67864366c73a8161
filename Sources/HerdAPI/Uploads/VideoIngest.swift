import Foundation
import HerdCore
import HerdProcessing
import Logging

/// The shared end of both upload protocols: quota, sniffing, moving the original into storage and
/// creating the video in the `TO_TRANSCODE` state for the media pipeline.
struct VideoIngest {
    let services: APIServices

    static let allowedExtensions = Set(ConfigController.videoExtensions)

    /// Bytes the user may still upload; `Int64.max` when unlimited.
    /// - Parameters:
    ///   - sessionId: the resumable session asking (its own reservation does not count against it);
    ///   - reservation: likewise, the streaming upload asking.
    func remainingQuota(for user: User, excludingSession sessionId: String? = nil, reservation: Int64? = nil)
        async throws -> Int64
    {
        let stores = services.stores
        let reserved =
            try await stores.uploads.reservedBytes(userId: user.id, excluding: sessionId)
            + services.uploadReservations.reserved(userId: user.id, excluding: reservation)
        var remaining = Int64.max
        if user.videoQuota >= 0 {
            let used = try await stores.videos.usedQuota(userId: user.id, since: nil)
            remaining = min(remaining, user.videoQuota - used - reserved)
        }
        if user.videoQuotaDaily >= 0 {
            let since = services.clock.now().addingTimeInterval(-86400)
            let used = try await stores.videos.usedQuota(userId: user.id, since: since)
            remaining = min(remaining, user.videoQuotaDaily - used - reserved)
        }
        return max(0, remaining)
    }

    static let quotaError = HerdError(
        .payloadTooLarge, "The user video quota is exceeded with this video.", code: "quota_reached"
    )

    func sizeError() -> HerdError {
        HerdError(
            .payloadTooLarge, "The file is larger than the maximum of \(services.settings.uploadMaxFileSize) bytes.",
            code: "max_file_size_reached"
        )
    }

    /// Refuses a size before any byte is accepted.
    func checkSize(_ size: Int64, for user: User, excludingSession sessionId: String? = nil) async throws {
        guard size <= services.settings.uploadMaxFileSize else { throw sizeError() }
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
    static func checkExtension(_ filename: String?) throws {
        guard let filename, let dot = filename.lastIndex(of: ".") else { return }
        guard allowedExtensions.contains(filename[dot...].lowercased()) else {
            throw HerdError(.unsupportedMediaType, "This file extension is not supported: \(filename[dot...])")
        }
    }

    /// Turns a complete upload at `tempPath` into a video. On any failure the file is removed.
    func finish(
        tempPath: String, prefix: [UInt8], size: Int64, filename: String?, input: VideoFieldsInput, user: User,
        sessionId: String?, reservation: Int64? = nil, logger: Logger
    ) async throws -> Video {
        do {
            guard size > 0, let container = MediaSniffer.sniff(prefix) else {
                throw HerdError(
                    .unprocessable, "The uploaded file is not a supported video or audio file.",
                    code: "invalid_video_file")
            }
            guard size <= (try await remainingQuota(for: user, excludingSession: sessionId, reservation: reservation))
            else { throw Self.quotaError }
            var input = input
            input.channelId = try await ownedChannelId(input.channelId, user: user)
            let uuid = UUID()
            let new = try input.newVideo(uuid: uuid, originalFilename: filename, originalSize: size)
            let passwords = try input.passwords(privacy: new.privacy, before: nil) ?? []
            let destination = services.layout.original(
                uuid: uuid, extension: Self.fileExtension(filename: filename, container: container))
            try await moveFile(tempPath, to: destination)
            do {
                // The video, its passwords and its transcoding job in one transaction.
                let job = try NewJob(
                    TranscodeVideoPayload(videoUUID: uuid), runAfter: services.clock.now(), maxAttempts: 3)
                let video = try await services.stores.videos.create(new, passwords: passwords, job: job).video
                services.events.publish(.video(id: video.id))
                logger.info(
                    "video uploaded", metadata: ["uuid": "\(uuid)", "bytes": "\(size)", "container": "\(container)"])
                return video
            } catch {
                await removeFile(destination)
                throw error
            }
        } catch {
            await removeFile(tempPath)
            throw error
        }
    }

    /// The channel to upload into: the given one if the user owns it.
    func ownedChannelId(_ channelId: Int64?, user: User) async throws -> Int64 {
        guard let channelId else { throw HerdError.badRequest("channelId is required") }
        guard let channel = try await services.stores.channels.find(id: channelId) else {
            throw HerdError.badRequest("channelId does not name an existing channel")
        }
        guard channel.owner.userId == user.id else {
            throw HerdError.forbidden("Cannot upload to a channel of another user")
        }
        return channelId
    }
}

/// `{video: {id, uuid, shortUUID}}`, the answer to a finished upload.
struct UploadedVideoDTO: Encodable {
    struct Inner: Encodable {
        var id: Int64
        var uuid: String
        var shortUUID: String
    }
    var video: Inner

    init(_ video: Video) {
        self.video = Inner(id: video.id, uuid: video.uuid.lowercasedString, shortUUID: video.shortUUID)
    }
}
