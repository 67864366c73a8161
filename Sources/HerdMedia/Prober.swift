import CFFmpeg
import Foundation

/// Probes files with libavformat and libavcodec. Every call blocks: run it off the event loops and off
/// the cooperative pool (`MediaThreads`).
public enum Prober {
    /// How many packets may be read looking for a first decodable frame.
    static let packetBudget = 2_000

    public static func probe(path: String) throws(ProbeError) -> MediaProbe {
        herd_quiet_ffmpeg_logs()
        var context: UnsafeMutablePointer<AVFormatContext>?
        do {
            context = try MediaInput.open(path)
        } catch {
            throw ProbeError(reason: error.reason, cause: error.cause)
        }
        guard let format = context else { throw ProbeError(reason: "the file cannot be read") }
        defer { avformat_close_input(&context) }
        let found = avformat_find_stream_info(format, nil)
        guard found >= 0 else {
            throw ProbeError(
                reason: "the file's streams cannot be read",
                cause: "\(FFmpegError(code: found, operation: "find stream info"))")
        }
        let container = format.pointee.iformat.map { String(cString: $0.pointee.name) } ?? "unknown"

        let videoIndex = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, nil, 0)
        let audioIndex = av_find_best_stream(format, AVMEDIA_TYPE_AUDIO, -1, -1, nil, 0)
        var video: MediaProbe.Video?
        var audio: MediaProbe.Audio?
        if videoIndex >= 0, let stream = format.pointee.streams[Int(videoIndex)],
            stream.pointee.disposition & AV_DISPOSITION_ATTACHED_PIC == 0
        {
            video = try describeVideo(stream)
        }
        if audioIndex >= 0, let stream = format.pointee.streams[Int(audioIndex)] {
            audio = describeAudio(stream)
        }
        guard video != nil || audio != nil else {
            throw ProbeError(reason: "the file has no video or audio stream", cause: "container \(container)")
        }
        // A header can promise streams the data does not hold (a truncated file): decode a first frame.
        let checkedIndex = video != nil ? videoIndex : audioIndex
        try decodeFirstFrame(format, streamIndex: checkedIndex, kind: video != nil ? "video" : "audio")

        var duration = 0.0
        if format.pointee.duration != herd_av_nopts_value(), format.pointee.duration > 0 {
            duration = Double(format.pointee.duration) / Double(AV_TIME_BASE)
        } else if let stream = format.pointee.streams[Int(checkedIndex)], stream.pointee.duration > 0 {
            duration = Double(stream.pointee.duration) * av_q2d(stream.pointee.time_base)
        }
        let bitrate = format.pointee.bit_rate > 0 ? Int(format.pointee.bit_rate) : nil
        return MediaProbe(container: container, duration: duration, bitrate: bitrate, video: video, audio: audio)
    }

    static func codecName(_ id: AVCodecID) -> String {
        avcodec_get_name(id).map { String(cString: $0) } ?? "unknown"
    }

    static func describeVideo(_ stream: UnsafeMutablePointer<AVStream>) throws(ProbeError) -> MediaProbe.Video {
        let parameters = stream.pointee.codecpar.pointee
        guard parameters.width > 0, parameters.height > 0 else {
            throw ProbeError(reason: "the video stream has no picture size")
        }
        var fps = av_q2d(stream.pointee.avg_frame_rate)
        if !fps.isFinite || fps <= 0 { fps = av_q2d(stream.pointee.r_frame_rate) }
        if !fps.isFinite || fps <= 0 { fps = 0 }
        let rotation = clockwiseRotation(stream)
        let pixelFormat =
            av_get_pix_fmt_name(AVPixelFormat(rawValue: parameters.format)).map { String(cString: $0) } ?? "unknown"
        return MediaProbe.Video(
            codec: codecName(parameters.codec_id), width: Int(parameters.width), height: Int(parameters.height),
            rotation: rotation, fps: fps, pixelFormat: pixelFormat
        )
    }

    /// FFmpeg reports the display matrix counterclockwise; this is the clockwise turn, snapped to 0/90/180/270
    /// (what `ffmpeg`'s autorotate applies).
    static func clockwiseRotation(_ stream: UnsafeMutablePointer<AVStream>) -> Int {
        var rotation = Int((-herd_stream_rotation(stream)).rounded()) % 360
        if rotation < 0 { rotation += 360 }
        return (rotation + 45) / 90 * 90 % 360
    }

    static func describeAudio(_ stream: UnsafeMutablePointer<AVStream>) -> MediaProbe.Audio {
        var parameters = stream.pointee.codecpar.pointee
        var buffer = [CChar](repeating: 0, count: 64)
        av_channel_layout_describe(&parameters.ch_layout, &buffer, buffer.count)
        let layout = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return MediaProbe.Audio(
            codec: codecName(parameters.codec_id), sampleRate: Int(parameters.sample_rate),
            channels: Int(parameters.ch_layout.nb_channels), layout: layout
        )
    }

    static func decodeFirstFrame(_ format: UnsafeMutablePointer<AVFormatContext>, streamIndex: Int32, kind: String)
        throws(ProbeError)
    {
        guard let stream = format.pointee.streams[Int(streamIndex)],
            let decoder = avcodec_find_decoder(stream.pointee.codecpar.pointee.codec_id)
        else { throw ProbeError(reason: "no decoder for the file's \(kind) stream") }
        var codec = avcodec_alloc_context3(decoder)
        defer { avcodec_free_context(&codec) }
        guard let codec, avcodec_parameters_to_context(codec, stream.pointee.codecpar) >= 0,
            avcodec_open2(codec, decoder, nil) >= 0
        else { throw ProbeError(reason: "the file's \(kind) stream cannot be decoded") }
        var packet = av_packet_alloc()
        var frame = av_frame_alloc()
        defer {
            av_packet_free(&packet)
            av_frame_free(&frame)
        }
        var lastError: Int32 = 0
        for _ in 0..<packetBudget {
            let read = av_read_frame(format, packet)
            if read < 0 {
                // End of data: drain the decoder once.
                avcodec_send_packet(codec, nil)
                if avcodec_receive_frame(codec, frame) >= 0 { return }
                throw ProbeError(
                    reason: "no \(kind) frame in the file could be decoded (is it truncated?)",
                    cause: "\(FFmpegError(code: lastError != 0 ? lastError : read, operation: "read"))"
                )
            }
            defer { av_packet_unref(packet) }
            guard packet?.pointee.stream_index == streamIndex else { continue }
            let sent = avcodec_send_packet(codec, packet)
            if sent < 0 && sent != FFmpegError.again { lastError = sent }
            if avcodec_receive_frame(codec, frame) >= 0 { return }
        }
        throw ProbeError(
            reason: "no \(kind) frame in the file could be decoded", cause: "gave up after \(packetBudget) packets")
    }
}
