import CFFmpeg
import Foundation
import HerdTranscode

/// Demuxes and decodes the source once: video frames with their time in seconds, and audio frames.
final class SourceReader {
    enum Event {
        case video(UnsafeMutablePointer<AVFrame>, seconds: Double)
        case audio(UnsafeMutablePointer<AVFrame>, seconds: Double)
    }

    private var format: UnsafeMutablePointer<AVFormatContext>?
    let videoIndex: Int32
    let audioIndex: Int32
    private(set) var videoDecoder: UnsafeMutablePointer<AVCodecContext>?
    private(set) var audioDecoder: UnsafeMutablePointer<AVCodecContext>?
    let videoTimeBase: AVRational
    let audioTimeBase: AVRational
    /// False for audio files: the transcoder then makes a still picture to go with the sound.
    var hasVideo: Bool { videoDecoder != nil }
    let duration: Double
    /// Clockwise degrees the picture must turn to be upright (0, 90, 180, 270).
    let rotation: Int
    private(set) var decodedVideoFrames = 0
    /// Time of the last video frame decoded.
    private(set) var lastVideoTime = 0.0
    private var firstTimestamp: Int64?
    private var firstAudioTimestamp: Int64?
    /// No frame may come later than this (seconds): the probed duration and a margin.
    let latestFrameTime: Double
    /// The longest pause between two video frames, and the most video frames decoded in all.
    let maxFrameGap: Double
    let maxDecodedFrames: Int

    init(path: String, threads: Int, limits: MediaLimits = MediaLimits()) throws {
        do {
            format = try MediaInput.open(path)
        } catch {
            throw Transcoder.TranscodeError.ffmpeg(error.description)
        }
        guard let format else { throw Transcoder.TranscodeError.ffmpeg("the source cannot be read") }
        _ = try FFmpegError.checkThrowing(avformat_find_stream_info(format, nil), "read stream info")
        videoIndex = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, nil, 0)
        audioIndex = av_find_best_stream(format, AVMEDIA_TYPE_AUDIO, -1, -1, nil, 0)
        duration = format.pointee.duration > 0 ? Double(format.pointee.duration) / Double(AV_TIME_BASE) : 0
        latestFrameTime = limits.latestFrameTime(probedDuration: duration)
        maxFrameGap = limits.maxFrameGap
        // Twice the highest frame rate over the allowed time: real files stay far below it.
        maxDecodedFrames = Int(min(latestFrameTime * limits.maxFPS * 2 + 1000, 1e9))
        // Cover art in audio files is an "attached picture", not a video.
        if videoIndex >= 0, let videoStream = format.pointee.streams[Int(videoIndex)],
            videoStream.pointee.disposition & AV_DISPOSITION_ATTACHED_PIC == 0
        {
            videoTimeBase = videoStream.pointee.time_base
            rotation = Prober.clockwiseRotation(videoStream)
            videoDecoder = try Self.openDecoder(videoStream, threads: threads)
        } else {
            videoTimeBase = AVRational(num: 1, den: 1)
            rotation = 0
        }
        if audioIndex >= 0, let audioStream = format.pointee.streams[Int(audioIndex)] {
            audioTimeBase = audioStream.pointee.time_base
            audioDecoder = try Self.openDecoder(audioStream, threads: 1)
        } else {
            audioTimeBase = AVRational(num: 1, den: 1)
        }
        guard videoDecoder != nil || audioDecoder != nil else {
            throw Transcoder.TranscodeError.ffmpeg("the source has neither video nor audio")
        }
    }

    deinit {
        avcodec_free_context(&videoDecoder)
        avcodec_free_context(&audioDecoder)
        avformat_close_input(&format)
    }

    static func openDecoder(_ stream: UnsafeMutablePointer<AVStream>, threads: Int) throws -> UnsafeMutablePointer<
        AVCodecContext
    > {
        guard let codec = avcodec_find_decoder(stream.pointee.codecpar.pointee.codec_id),
            let context = avcodec_alloc_context3(codec)
        else {
            throw Transcoder.TranscodeError.ffmpeg(
                "no decoder for \(Prober.codecName(stream.pointee.codecpar.pointee.codec_id))")
        }
        _ = try FFmpegError.checkThrowing(
            avcodec_parameters_to_context(context, stream.pointee.codecpar), "decoder parameters")
        context.pointee.thread_count = Int32(threads)
        context.pointee.pkt_timebase = stream.pointee.time_base
        _ = try FFmpegError.checkThrowing(avcodec_open2(context, codec, nil), "open decoder")
        return context
    }

    /// Reads the whole source, calling `body` with every decoded frame (frames are reused after it returns).
    func forEachFrame(_ body: (Event) throws -> Void) throws {
        var packet = av_packet_alloc()
        var frame = av_frame_alloc()
        defer {
            av_packet_free(&packet)
            av_frame_free(&frame)
        }
        guard let packet, let frame, let format else { throw Transcoder.TranscodeError.ffmpeg("out of memory") }
        while true {
            let read = av_read_frame(format, packet)
            if read == FFmpegError.endOfFile { break }
            if read < 0 {
                throw Transcoder.TranscodeError.ffmpeg("\(FFmpegError(code: read, operation: "read the source"))")
            }
            defer { av_packet_unref(packet) }
            if packet.pointee.stream_index == videoIndex, let videoDecoder {
                try decode(videoDecoder, packet: packet, frame: frame, isVideo: true, body)
            } else if packet.pointee.stream_index == audioIndex, let audioDecoder {
                try decode(audioDecoder, packet: packet, frame: frame, isVideo: false, body)
            }
        }
        if let videoDecoder { try decode(videoDecoder, packet: nil, frame: frame, isVideo: true, body) }
        if let audioDecoder { try decode(audioDecoder, packet: nil, frame: frame, isVideo: false, body) }
    }

    private func decode(
        _ decoder: UnsafeMutablePointer<AVCodecContext>, packet: UnsafeMutablePointer<AVPacket>?,
        frame: UnsafeMutablePointer<AVFrame>, isVideo: Bool, _ body: (Event) throws -> Void
    ) throws {
        let sent = avcodec_send_packet(decoder, packet)
        // A corrupt packet is skipped, as players do; a truncated file still ends with what decoded.
        if sent < 0 && sent != FFmpegError.again && sent != FFmpegError.endOfFile { return }
        while true {
            let received = avcodec_receive_frame(decoder, frame)
            if received == FFmpegError.again || received == FFmpegError.endOfFile { return }
            if received < 0 { return }
            defer { av_frame_unref(frame) }
            if isVideo {
                var timestamp = frame.pointee.best_effort_timestamp
                if timestamp == herd_av_nopts_value() { timestamp = frame.pointee.pts }
                if timestamp == herd_av_nopts_value() { timestamp = Int64(decodedVideoFrames) }
                if firstTimestamp == nil { firstTimestamp = timestamp }
                let (offset, overflow) = timestamp.subtractingReportingOverflow(firstTimestamp ?? 0)
                let seconds = overflow ? .infinity : Double(offset) * av_q2d(videoTimeBase)
                try checkVideoFrame(at: seconds)
                decodedVideoFrames += 1
                lastVideoTime = max(lastVideoTime, seconds)
                try body(.video(frame, seconds: max(0, seconds)))
            } else {
                var timestamp = frame.pointee.best_effort_timestamp
                if timestamp == herd_av_nopts_value() { timestamp = firstAudioTimestamp ?? 0 }
                // From the first sound, as video times are from the first picture (MPEG-TS clocks start anywhere).
                if firstAudioTimestamp == nil { firstAudioTimestamp = timestamp }
                let (offset, overflow) = timestamp.subtractingReportingOverflow(firstAudioTimestamp ?? 0)
                let seconds = overflow ? .infinity : Double(offset) * av_q2d(audioTimeBase)
                guard seconds.isFinite, seconds <= latestFrameTime else {
                    throw Transcoder.TranscodeError.ffmpeg(
                        "the sound goes on past the \(MediaLimits.format(duration)) s the file announces")
                }
                try body(.audio(frame, seconds: max(0, seconds)))
            }
        }
    }
}

extension SourceReader {
    /// A video frame at `seconds` is within the limits: not past the file's duration, not after a long gap (a still
    /// picture held for hours would be encoded again for every output frame), not one too many.
    func checkVideoFrame(at seconds: Double) throws {
        guard seconds.isFinite, seconds <= latestFrameTime else {
            throw Transcoder.TranscodeError.ffmpeg(
                "a frame is timed past the \(MediaLimits.format(duration)) s the file announces")
        }
        guard decodedVideoFrames == 0 || seconds - lastVideoTime <= maxFrameGap else {
            throw Transcoder.TranscodeError.ffmpeg(
                "the video stops for \(MediaLimits.format(seconds - lastVideoTime)) s after "
                    + "\(MediaLimits.format(lastVideoTime)) s: this instance takes pauses of at most "
                    + "\(MediaLimits.format(maxFrameGap)) s")
        }
        guard decodedVideoFrames < maxDecodedFrames else {
            throw Transcoder.TranscodeError.ffmpeg("the video has more frames than its duration allows")
        }
    }
}

extension FFmpegError {
    @discardableResult
    static func checkThrowing(_ code: Int32, _ operation: String) throws -> Int32 {
        guard code >= 0 else {
            throw Transcoder.TranscodeError.ffmpeg("\(FFmpegError(code: code, operation: operation))")
        }
        return code
    }
}
