import Foundation
import HerdCore
import HerdTranscode
import Logging

/// `video-transcoding`: probes the uploaded original, plans the ladder, runs the one-pass transcoder into a
/// scratch folder (`MediaEngine`), then puts the outputs in the media store, records the files, makes the torrents
/// and publishes the video. A crash mid-way leaves only the scratch folder, which the next attempt discards.
public struct TranscodeVideoJob: JobHandler {
    public var kind: String { TranscodeVideoPayload.kind.rawValue }
    public var maxAttempts: Int { 3 }
    let stores: Stores
    let media: any MediaStore
    let engine: any MediaEngine
    let peers: any PeerDelivery
    let federation: VideoFederation
    let locks: VideoLocks
    let events: ContentEvents
    let settings: TranscodingSettings
    /// Where the transcoder writes before the outputs are put in the store (the storage's `tmp`).
    let scratchFolder: String
    let clock: any WallClock
    let logger: Logger
    let metrics: ProcessingMetrics

    public init(
        stores: Stores, media: any MediaStore, engine: any MediaEngine, peers: any PeerDelivery,
        federation: VideoFederation, locks: VideoLocks, events: ContentEvents, settings: TranscodingSettings,
        scratchFolder: String,
        clock: any WallClock, logger: Logger, metrics: ProcessingMetrics = ProcessingMetrics()
    ) {
        self.metrics = metrics
        self.stores = stores
        self.media = media
        self.engine = engine
        self.peers = peers
        self.federation = federation
        self.locks = locks
        self.events = events
        self.settings = settings
        self.scratchFolder = scratchFolder
        self.clock = clock
        self.logger = logger
    }

    public func run(_ job: Job, progress: JobProgress) async throws {
        let payload = try TranscodeVideoPayload(of: job)
        guard let uuid = UUID(uuidString: payload.videoUUID), let found = try await stores.videos.find(.uuid(uuid))
        else { return }  // deleted meanwhile: nothing to do
        let name = uuid.lowercasedString
        // Work in a scratch folder; only complete outputs are put in the store.
        let scratch = scratchFolder + "/transcode-" + name
        try? FileManager.default.removeItem(atPath: scratch)
        for folder in ["hls", "web"] {
            try FileManager.default.createDirectory(atPath: scratch + "/" + folder, withIntermediateDirectories: true)
        }
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        // FFmpeg reads the original in place, or a copy downloaded from object storage into the scratch folder.
        guard let original = try await media.keys(.originals, prefix: name).first,
            let input = try await media.localFile(.originals, original, scratch: scratch + "/original")
        else { return try await fail(found.video, "the uploaded file is missing") }
        let request = MediaJob.Request(
            input: input,
            output: TranscodeOutput(
                hlsDirectory: scratch + "/hls", webVideoDirectory: settings.webVideos ? scratch + "/web" : nil,
                name: name, thumbnailPath: scratch + "/thumbnail.jpg", previewPath: scratch + "/preview.jpg"),
            planner: LadderPlanner(
                enabled: settings.resolutions, fpsMax: settings.fpsMax,
                keepOriginalResolution: settings.keepOriginalResolution),
            limits: MediaLimits(
                maxSide: settings.maxSide, maxFPS: Double(settings.maxFPS), maxDuration: Double(settings.maxDuration),
                maxFrameGap: Double(settings.maxFrameGap)),
            threads: settings.threads, maxMemory: settings.maxMemory, cpuPerMediaSecond: settings.cpuPerMediaSecond)
        // The media work runs in a child process: probing, the limits, the ladder, FFmpeg.
        let reports = AsyncStream<TranscodeProgress>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let forwarding = Task {
            for await report in reports.stream {
                await progress.report(percent: report.percent, detail: ProgressDetail(fps: report.fps, eta: report.eta))
            }
        }
        defer {
            forwarding.cancel()
            metrics.transcoding(fps: 0)
        }
        let outcome = try await engine.transcode(request) { report in
            metrics.transcoding(fps: report.fps)
            reports.continuation.yield(report)
        }
        reports.continuation.finish()
        switch outcome {
        case .done(let duration, let results):
            try await publish(
                found.video, duration: duration, results: results, scratch: scratch, output: request.output)
        case .refused(let reason):
            logger.warning("transcoding refused the file", metadata: ["video": "\(name)", "reason": "\(reason)"])
            try await fail(found.video, reason)
        case .failed(let reason):
            throw TranscodeAttemptFailed(reason: reason)
        case .crashed(let reason):
            // Retried with backoff; a file that keeps killing its transcoder fails for good after the attempts.
            logger.error(
                "transcoder died", metadata: ["video": "\(name)", "attempt": "\(job.attempts)", "reason": "\(reason)"])
            guard job.attempts >= maxAttempts else { throw TranscodeAttemptFailed(reason: reason) }
            try await fail(found.video, "the transcoder stopped on this file \(job.attempts) times (last: \(reason))")
        }
    }

    /// An attempt that may succeed later (counted, retried with backoff).
    struct TranscodeAttemptFailed: Error, CustomStringConvertible {
        var reason: String
        var description: String { reason }
    }

    /// A job whose runs kept being interrupted (the server stopped or died each time): the video fails with a reason.
    public func abandoned(_ job: Job, reason: String) async throws {
        let payload = try TranscodeVideoPayload(of: job)
        guard let uuid = UUID(uuidString: payload.videoUUID), let found = try await stores.videos.find(.uuid(uuid))
        else { return }
        try? await fail(found.video, reason)
    }

    /// Holding the video's lock: a deletion waits until the outputs are in place (and then removes them), or this
    /// waits for the deletion (and finds no video).
    func publish(
        _ transcoded: Video, duration: Double, results: [RungResult], scratch: String, output: TranscodeOutput
    ) async throws {
        try await locks.with(transcoded.id) {
            try await publishHoldingLock(
                transcoded, duration: duration, results: results, scratch: scratch, output: output)
        }
    }

    func publishHoldingLock(
        _ transcoded: Video, duration: Double, results: [RungResult], scratch: String, output: TranscodeOutput
    )
        async throws
    {
        // Deleted while it was transcoding: its outputs go nowhere (the scratch folder is removed). Otherwise they go
        // to the folders its privacy asks for now (it may have changed meanwhile).
        guard let video = try await stores.videos.find(.id(transcoded.id))?.video else {
            logger.info("video deleted while transcoding: outputs discarded", metadata: ["video": "\(output.name)"])
            return
        }
        let privateFiles = video.privacy.filesArePrivate
        let name = output.name
        // The files are recorded and hashed into torrents while they are still in the scratch folder (object storage
        // keeps no local copy); the video is published only once they are all in the store.
        let previous = try await stores.videoFiles.list(videoId: video.id)
        await peers.withdraw(videoUUID: video.uuid, files: previous)
        try await stores.videoFiles.deleteAll(videoId: video.id)
        var files: [VideoFile] = []
        for result in results {
            let rung = result.rung
            files.append(
                try await stores.videoFiles.add(
                    videoId: video.id, kind: .hls, resolution: rung.resolution, width: rung.width, height: rung.height,
                    fps: Double(rung.fps), size: result.fragmentedSize, filename: output.fragmented(rung)
                ))
            if let size = result.webVideoSize {
                files.append(
                    try await stores.videoFiles.add(
                        videoId: video.id, kind: .webVideo, resolution: rung.resolution, width: rung.width,
                        height: rung.height, fps: Double(rung.fps), size: size, filename: output.webVideo(rung)
                    ))
            }
        }
        let (hlsFolder, webFolder) = (output.hlsDirectory, output.webVideoDirectory ?? output.hlsDirectory)
        files = try await peers.makeTorrents(video: video, files: files) { file in
            (file.kind == .hls ? hlsFolder : webFolder) + "/" + file.filename
        }
        try await media.delete(.hls(privateFiles: !privateFiles), name)
        try await media.put(.hls(privateFiles: privateFiles), name, movingFrom: output.hlsDirectory)
        if let web = output.webVideoDirectory {
            let names = try await MediaThread.run { try FileManager.default.contentsOfDirectory(atPath: web) }
            for file in names {
                try await media.delete(.webVideos(privateFiles: !privateFiles), file)
                try await media.put(.webVideos(privateFiles: privateFiles), file, movingFrom: web + "/" + file)
            }
        }
        for (file, kind) in [("thumbnail.jpg", MediaKind.thumbnails), ("preview.jpg", .previews)]
        where FileManager.default.fileExists(atPath: scratch + "/" + file) {
            try await media.put(kind, "\(name).jpg", movingFrom: scratch + "/" + file)
        }
        // Private files are neither tracked nor seeded; they are when the video becomes public.
        if !privateFiles { await peers.publish(videoUUID: video.uuid, files: files) }
        // Re-read: the owner may have edited the video while it was transcoding.
        guard var current = try await stores.videos.find(.id(video.id))?.video else { return }
        current.duration = Int(exactly: duration.rounded()) ?? 0  // finite and bounded by the limits
        current.state = .published
        current.stateReason = nil
        current.publishedAt = clock.now()
        try await stores.videos.update(current)
        events.publish(.video(id: current.id))
        logger.info("video published", metadata: ["video": "\(name)", "rungs": "\(results.map(\.rung.resolution))"])
        do {
            try await federation.published(videoId: video.id)
        } catch {
            // The video is published either way; followers learn of it with its next update.
            logger.error("could not queue the video's Create", metadata: ["video": "\(name)", "error": "\(error)"])
        }
    }

    /// Marks the video failed with a reason its owner sees, and ends the job without retrying.
    func fail(_ video: Video, _ reason: String) async throws {
        guard var current = try await stores.videos.find(.id(video.id))?.video else { return }
        current.state = .transcodingFailed
        current.stateReason = reason
        try await stores.videos.update(current)
        events.publish(.video(id: current.id))
        throw JobFailure.permanent(reason)
    }
}
