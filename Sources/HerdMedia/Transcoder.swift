import CFFmpeg
import Foundation
import HerdTranscode

/// The one-pass transcoder: the source is demuxed and decoded once; each decoded frame is scaled with
/// libswscale to every rung and encoded with libx264 (2 s closed GOPs, so segments line up across rungs);
/// audio is resampled and encoded to AAC once and the same packets go to every rung. Each rung is muxed as
/// HLS (one fragmented MP4 addressed by byte ranges, 4 s segments) and, when asked, a faststart MP4.
///
/// Everything here blocks: run it on its own thread, never on an event loop.
public final class Transcoder {
    public struct Options: Sendable {
        public var threads: Int = 0
        public var preset = "veryfast"
        public var crf = 23
        public var audioBitrate = 128_000
        public var segmentSeconds = 4
        /// What the source may be: frames past its duration, long gaps and too many frames stop the transcode.
        public var limits = MediaLimits()

        public init() {}
    }

    public enum TranscodeError: Error, CustomStringConvertible {
        case ffmpeg(String)
        case cancelled

        public var description: String {
            switch self {
            case .ffmpeg(let text): text
            case .cancelled: "the transcode was cancelled"
            }
        }
    }

    let input: String
    let rungs: [Rung]
    let output: TranscodeOutput
    let options: Options

    public init(input: String, rungs: [Rung], output: TranscodeOutput, options: Options = Options()) {
        self.input = input
        self.rungs = rungs
        self.output = output
        self.options = options
    }

    /// Runs the whole transcode. `progress` is called from this thread about twice a second; return false
    /// from `shouldContinue` to stop early.
    public func run(
        progress: (TranscodeProgress) -> Void = { _ in }, shouldContinue: () -> Bool = { true }
    ) throws -> [RungResult] {
        herd_quiet_ffmpeg_logs()
        let source = try SourceReader(path: input, threads: options.threads, limits: options.limits)
        let audio = try source.audioDecoder.map { try AudioEncoder(decoder: $0, bitrate: options.audioBitrate) }
        let pipelines = try rungs.map { rung in
            try RungPipeline(
                rung: rung, source: source, audio: audio, output: output, options: options
            )
        }
        for pipeline in pipelines { try pipeline.start() }
        var stillFrame = source.hasVideo ? nil : try Self.stillPicture(width: rungs[0].width, height: rungs[0].height)
        defer { av_frame_free(&stillFrame) }
        let still = stillFrame

        let started = Date()
        var lastReport = Date.distantPast
        // The still images come from the frame at 20 % of the video (or the first one of a short clip).
        let imageTime = min(source.duration * 0.2, 10)
        var imagesWritten = output.thumbnailPath == nil && output.previewPath == nil
        let decodedFrames = { source.hasVideo ? source.decodedVideoFrames : 0 }
        func report(_ seconds: Double) {
            guard Date().timeIntervalSince(lastReport) > 0.5 else { return }
            lastReport = Date()
            let elapsed = Date().timeIntervalSince(started)
            let percent = source.duration > 0 ? min(99, seconds / source.duration * 100) : 0
            let fps = elapsed > 0 ? Double(decodedFrames()) / elapsed : 0
            let eta = percent > 0 ? elapsed * (100 - percent) / percent : nil
            progress(TranscodeProgress(percent: percent, fps: fps, eta: eta))
        }
        try source.forEachFrame { event in
            guard shouldContinue() else { throw TranscodeError.cancelled }
            switch event {
            case .video(let frame, let seconds):
                for pipeline in pipelines { try pipeline.push(frame, at: seconds) }
                // Images come from the top rung's upright picture, so rotated sources give upright images.
                if !imagesWritten && seconds >= imageTime, let upright = pipelines.first?.latestFrame {
                    try writeImages(upright)
                    imagesWritten = true
                }
                report(seconds)
            case .audio(let frame, let seconds):
                // Audio files get a still picture, repeated at the rung's frame rate as the sound goes on.
                if let still {
                    report(seconds)
                    for pipeline in pipelines { try pipeline.push(still, at: seconds) }
                    if !imagesWritten, let upright = pipelines.first?.latestFrame {
                        try writeImages(upright)
                        imagesWritten = true
                    }
                }
                guard let audio else { return }
                for packet in try audio.encode(frame) {
                    defer { var owned: UnsafeMutablePointer<AVPacket>? = packet; av_packet_free(&owned) }
                    for pipeline in pipelines { try pipeline.writeAudio(packet, timeBase: audio.timeBase) }
                }
            }
        }
        if let still {
            for pipeline in pipelines { try pipeline.push(still, at: source.duration) }
        }
        // A file whose header promises more than its data holds (cut off during a copy) is refused rather
        // than published short.
        if source.hasVideo, source.duration > 2, source.lastVideoTime < source.duration * 0.9 - 0.5 {
            throw TranscodeError.ffmpeg(
                String(
                    format: "the file ends at %.1f s of the %.1f s its header announces (is it truncated?)",
                    source.lastVideoTime, source.duration
                )
            )
        }
        if let audio {
            for packet in try audio.flush() {
                defer { var owned: UnsafeMutablePointer<AVPacket>? = packet; av_packet_free(&owned) }
                for pipeline in pipelines { try pipeline.writeAudio(packet, timeBase: audio.timeBase) }
            }
        }
        let results = try pipelines.map { try $0.finish() }
        progress(TranscodeProgress(percent: 100, fps: 0, eta: 0))
        return results
    }
}

extension Transcoder {
    /// The picture shown with audio-only files: a dark slate.
    static func stillPicture(width: Int, height: Int) throws -> UnsafeMutablePointer<AVFrame> {
        guard let frame = av_frame_alloc() else { throw TranscodeError.ffmpeg("out of memory") }
        frame.pointee.width = Int32(width)
        frame.pointee.height = Int32(height)
        frame.pointee.format = AV_PIX_FMT_YUV420P.rawValue
        try FFmpegError.checkThrowing(av_frame_get_buffer(frame, 0), "allocate the still picture")
        for (plane, value) in [(0, UInt8(40)), (1, UInt8(136)), (2, UInt8(120))] {
            let rows = plane == 0 ? height : height / 2
            let stride = FrameRotator.stride(frame, plane)
            FrameRotator.pointer(frame, plane)?.update(repeating: value, count: rows * stride)
        }
        return frame
    }

    /// Thumbnail (PeerTube's 280×157 for 16:9) and preview (850×480), keeping the picture's shape.
    func writeImages(_ frame: UnsafeMutablePointer<AVFrame>) throws {
        let aspect = Double(frame.pointee.width) / Double(max(1, frame.pointee.height))
        func size(height: Int) -> (Int, Int) {
            let width = max(2, Int((Double(height) * aspect / 2).rounded()) * 2)
            return (width, height)
        }
        if let path = output.previewPath {
            let (width, height) = size(height: 480)
            try ImageWriter.writeJPEG(frame, width: width, height: height, path: path)
        }
        if let path = output.thumbnailPath {
            let (width, height) = size(height: 158)
            try ImageWriter.writeJPEG(frame, width: width, height: height, path: path)
        }
    }

    /// Writes the master playlist and `segments-sha256.json` next to the media playlists.
    public static func package(_ results: [RungResult], output: TranscodeOutput) throws {
        var variants: [HLSPackage.Variant] = []
        var hashed: [(file: String, segments: [HLSPackage.Segment])] = []
        for result in results {
            let text = try String(
                contentsOfFile: output.hlsDirectory + "/" + output.playlist(result.rung), encoding: .utf8)
            let segments = HLSPackage.segments(ofPlaylist: text)
            let codecs = result.hasAudio ? "\(result.videoCodec),mp4a.40.2" : result.videoCodec
            variants.append(
                HLSPackage.variant(
                    playlist: output.playlist(result.rung), segments: segments, width: result.rung.width,
                    height: result.rung.height, frameRate: Double(result.rung.fps), codecs: codecs
                )
            )
            hashed.append((output.fragmented(result.rung), segments))
        }
        try HLSPackage.masterPlaylist(variants).write(
            toFile: output.hlsDirectory + "/" + output.masterPlaylist, atomically: true, encoding: .utf8
        )
        try HLSPackage.segmentHashes(directory: output.hlsDirectory, playlists: hashed).write(
            to: URL(fileURLWithPath: output.hlsDirectory + "/" + output.segmentsSha256)
        )
    }
}
