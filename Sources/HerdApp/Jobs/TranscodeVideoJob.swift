import Foundation
import HerdCore
import HerdJobs
import HerdMedia
import HerdProcessing
import HerdSeeder
import HerdTranscode
import Logging

/// `video-transcoding`: probes the uploaded original, plans the ladder, runs the one-pass transcoder into a
/// scratch folder, then moves the outputs into place, records the files and publishes the video.
/// A crash mid-way leaves only the scratch folder, which the next attempt discards.
struct TranscodeVideoJob: JobHandler {
    var kind: String { TranscodeVideoPayload.kind.rawValue }
    var maxAttempts: Int { 3 }
    let processing: Processing
    let logger: Logger
    /// The `herd` executable, whose `transcode-job` command does the media work.
    let transcoder: String

    func run(_ job: Job, progress: JobProgress) async throws {
        let payload = try TranscodeVideoPayload(of: job)
        guard let uuid = UUID(uuidString: payload.videoUUID),
            let found = try await processing.stores.videos.find(.uuid(uuid))
        else { return }  // deleted meanwhile: nothing to do
        let layout = processing.layout
        let name = uuid.lowercasedString
        guard
            let original = try? FileManager.default.contentsOfDirectory(atPath: layout.originals)
                .first(where: { $0.hasPrefix(name) })
        else { return try await fail(found.video, "the uploaded file is missing") }
        let input = layout.originals + "/" + original

        let settings = processing.settings.transcoding
        // Work in a scratch folder; only complete outputs are moved into place.
        let scratch = layout.tmp + "/transcode-" + name
        try? FileManager.default.removeItem(atPath: scratch)
        for folder in ["hls", "web"] {
            try FileManager.default.createDirectory(atPath: scratch + "/" + folder, withIntermediateDirectories: true)
        }
        defer { try? FileManager.default.removeItem(atPath: scratch) }
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
        defer { forwarding.cancel() }
        let outcome = try await TranscoderProcess(executable: transcoder, logger: logger).run(request) {
            reports.continuation.yield($0)
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
    func abandoned(_ job: Job, reason: String) async throws {
        let payload = try TranscodeVideoPayload(of: job)
        guard let uuid = UUID(uuidString: payload.videoUUID),
            let found = try await processing.stores.videos.find(.uuid(uuid))
        else { return }
        try? await fail(found.video, reason)
    }

    func publish(
        _ transcoded: Video, duration: Double, results: [RungResult], scratch: String, output: TranscodeOutput
    )
        async throws
    {
        // Deleted while it was transcoding: its outputs go nowhere (the scratch folder is removed). Otherwise they go
        // to the folders its privacy asks for now (it may have changed meanwhile).
        guard let video = try await processing.stores.videos.find(.id(transcoded.id))?.video else {
            logger.info("video deleted while transcoding: outputs discarded", metadata: ["video": "\(output.name)"])
            return
        }
        let privateFiles = video.privacy.filesArePrivate
        let layout = processing.layout
        let fileManager = FileManager.default
        for stale in [layout.hlsDirectory(uuid: video.uuid), layout.hlsDirectory(uuid: video.uuid, privateFiles: true)]
        {
            try? fileManager.removeItem(atPath: stale)
        }
        try fileManager.moveItem(
            atPath: output.hlsDirectory, toPath: layout.hlsDirectory(uuid: video.uuid, privateFiles: privateFiles))
        if let web = output.webVideoDirectory {
            let target = layout.webVideosDirectory(privateFiles: privateFiles)
            for file in try fileManager.contentsOfDirectory(atPath: web) {
                try? fileManager.removeItem(atPath: layout.webVideos + "/" + file)
                try? fileManager.removeItem(atPath: layout.privateWebVideos + "/" + file)
                try fileManager.moveItem(atPath: web + "/" + file, toPath: target + "/" + file)
            }
        }
        let name = output.name
        for (file, folder) in [("thumbnail.jpg", layout.thumbnails), ("preview.jpg", layout.previews)]
        where fileManager.fileExists(atPath: scratch + "/" + file) {
            try? fileManager.removeItem(atPath: folder + "/\(name).jpg")
            try fileManager.moveItem(atPath: scratch + "/" + file, toPath: folder + "/\(name).jpg")
        }
        let previous = try await processing.stores.videoFiles.list(videoId: video.id)
        await processing.peers.withdraw(videoUUID: video.uuid, files: previous)
        try await processing.stores.videoFiles.deleteAll(videoId: video.id)
        var files: [VideoFile] = []
        for result in results {
            let rung = result.rung
            files.append(
                try await processing.stores.videoFiles.add(
                    videoId: video.id, kind: .hls, resolution: rung.resolution, width: rung.width, height: rung.height,
                    fps: Double(rung.fps), size: result.fragmentedSize, filename: output.fragmented(rung)
                ))
            if let size = result.webVideoSize {
                files.append(
                    try await processing.stores.videoFiles.add(
                        videoId: video.id, kind: .webVideo, resolution: rung.resolution, width: rung.width,
                        height: rung.height, fps: Double(rung.fps), size: size, filename: output.webVideo(rung)
                    ))
            }
        }
        if processing.settings.p2p.enabled {
            files = try await VideoTorrents(
                stores: processing.stores, layout: processing.layout, baseURL: processing.settings.baseURL,
                clock: processing.clock
            ).make(for: video, files: files)
            // Private files are neither tracked nor seeded; they are when the video becomes public.
            if !privateFiles { await processing.peers.publish(videoUUID: video.uuid, files: files) }
        }
        // Re-read: the owner may have edited the video while it was transcoding.
        guard var current = try await processing.stores.videos.find(.id(video.id))?.video else { return }
        current.duration = Int(exactly: duration.rounded()) ?? 0  // finite and bounded by the limits
        current.state = .published
        current.stateReason = nil
        current.publishedAt = processing.clock.now()
        try await processing.stores.videos.update(current)
        processing.events.publish(.video(id: current.id))
        logger.info("video published", metadata: ["video": "\(name)", "rungs": "\(results.map(\.rung.resolution))"])
        do {
            try await processing.videoFederation.published(videoId: video.id)
        } catch {
            // The video is published either way; followers learn of it with its next update.
            logger.error("could not queue the video's Create", metadata: ["video": "\(name)", "error": "\(error)"])
        }
    }

    /// Marks the video failed with a reason its owner sees, and ends the job without retrying.
    func fail(_ video: Video, _ reason: String) async throws {
        guard var current = try await processing.stores.videos.find(.id(video.id))?.video else { return }
        current.state = .transcodingFailed
        current.stateReason = reason
        try await processing.stores.videos.update(current)
        processing.events.publish(.video(id: current.id))
        throw JobFailure.permanent(reason)
    }
}
