import CFFmpeg
import Foundation
import HerdTranscode

/// One rung: scale, encode with libx264, and mux into HLS (fragmented MP4) and optionally a web MP4.
final class RungPipeline {
    let rung: Rung
    let output: TranscodeOutput
    private var encoder: UnsafeMutablePointer<AVCodecContext>?
    private var scaler: OpaquePointer?
    private var scaled: UnsafeMutablePointer<AVFrame>?
    private var packet: UnsafeMutablePointer<AVPacket>?
    private var muxers: [Muxer] = []
    private let audio: AudioEncoder?
    private var nextIndex: Int64 = 0
    private(set) var frames = 0
    private var scalerSource: (Int32, Int32, Int32) = (0, 0, -1)
    /// Clockwise turn applied after scaling, and the frame scaled into before turning.
    private let rotation: Int
    private var unrotated: UnsafeMutablePointer<AVFrame>?

    init(rung: Rung, source: SourceReader, audio: AudioEncoder?, output: TranscodeOutput, options: Transcoder.Options)
        throws
    {
        self.rung = rung
        self.output = output
        self.audio = audio
        self.rotation = source.rotation
        guard let codec = avcodec_find_encoder_by_name("libx264"), let context = avcodec_alloc_context3(codec) else {
            throw Transcoder.TranscodeError.ffmpeg("libx264 is not available")
        }
        encoder = context
        context.pointee.width = Int32(rung.width)
        context.pointee.height = Int32(rung.height)
        context.pointee.pix_fmt = AV_PIX_FMT_YUV420P
        context.pointee.time_base = AVRational(num: 1, den: Int32(rung.fps))
        context.pointee.framerate = AVRational(num: Int32(rung.fps), den: 1)
        context.pointee.gop_size = Int32(rung.keyframeInterval)
        context.pointee.keyint_min = Int32(rung.keyframeInterval)
        context.pointee.rc_max_rate = Int64(rung.maxrate)
        context.pointee.rc_buffer_size = Int32(clamping: rung.bufsize)
        context.pointee.thread_count = Int32(options.threads)
        // PeerTube's default VOD profile: up to 16 B-frames chosen by the fast adaptive decision.
        context.pointee.max_b_frames = 16
        context.pointee.flags |= Int32(AV_CODEC_FLAG_GLOBAL_HEADER)
        context.pointee.flags |= Int32(bitPattern: UInt32(AV_CODEC_FLAG_CLOSED_GOP))
        herd_set_private_option(context, "preset", options.preset)
        herd_set_private_option(context, "crf", String(options.crf))
        // Keyframes exactly every 2 s and nowhere else, so every rung cuts segments at the same times.
        herd_set_private_option(
            context, "x264-params",
            "scenecut=0:open-gop=0:b-adapt=1:keyint=\(rung.keyframeInterval):min-keyint=\(rung.keyframeInterval)")
        try FFmpegError.checkThrowing(avcodec_open2(context, codec, nil), "open libx264 for \(rung.resolution)p")

        scaled = av_frame_alloc()
        guard let scaled else { throw Transcoder.TranscodeError.ffmpeg("out of memory") }
        scaled.pointee.width = Int32(rung.width)
        scaled.pointee.height = Int32(rung.height)
        scaled.pointee.format = AV_PIX_FMT_YUV420P.rawValue
        try FFmpegError.checkThrowing(av_frame_get_buffer(scaled, 0), "allocate a \(rung.resolution)p frame")
        if rotation != 0 {
            // Scale to the sideways size first, then turn into the upright frame.
            unrotated = av_frame_alloc()
            guard let unrotated else { throw Transcoder.TranscodeError.ffmpeg("out of memory") }
            let sideways = rotation == 180 ? (rung.width, rung.height) : (rung.height, rung.width)
            unrotated.pointee.width = Int32(sideways.0)
            unrotated.pointee.height = Int32(sideways.1)
            unrotated.pointee.format = AV_PIX_FMT_YUV420P.rawValue
            try FFmpegError.checkThrowing(av_frame_get_buffer(unrotated, 0), "allocate a \(rung.resolution)p frame")
        }
        packet = av_packet_alloc()

        let hlsOptions = [
            "hls_time": String(options.segmentSeconds), "hls_playlist_type": "vod", "hls_segment_type": "fmp4",
            "hls_flags": "single_file", "hls_segment_filename": output.hlsDirectory + "/" + output.fragmented(rung),
        ]
        muxers.append(
            try Muxer(
                format: "hls", path: output.hlsDirectory + "/" + output.playlist(rung), options: hlsOptions,
                video: context, audio: audio)
        )
        if let web = output.webVideoDirectory {
            muxers.append(
                try Muxer(
                    format: "mp4", path: web + "/" + output.webVideo(rung), options: ["movflags": "+faststart"],
                    video: context, audio: audio)
            )
        }
    }

    deinit {
        sws_freeContext(scaler)
        av_frame_free(&unrotated)
        av_frame_free(&scaled)
        av_packet_free(&packet)
        avcodec_free_context(&encoder)
    }

    /// The last upright picture of this rung (for thumbnails), valid until the next push.
    var latestFrame: UnsafeMutablePointer<AVFrame>? { frames > 0 ? scaled : nil }

    func start() throws {
        for muxer in muxers { try muxer.writeHeader() }
    }

    /// Takes a decoded frame at `seconds`: converts to this rung's constant frame rate (dropping or
    /// repeating frames), scales it and encodes it.
    func push(_ frame: UnsafeMutablePointer<AVFrame>, at seconds: Double) throws {
        // The output slot this frame starts in; the 0.1 absorbs timestamp jitter. When the source is faster,
        // the frames in between fall in a slot already filled and are dropped; when slower, slots are repeated.
        // `seconds` is bounded by the source's checks; the slot is still computed without a trapping conversion.
        let slot = (seconds * Double(rung.fps) + 0.1).rounded(.down)
        guard slot.isFinite, slot >= 0, slot < Double(Int32.max), let target = Int64(exactly: slot),
            target >= nextIndex
        else { return }
        try scale(frame)
        while nextIndex <= target {
            guard let scaled else { return }
            scaled.pointee.pts = nextIndex
            scaled.pointee.pict_type = AV_PICTURE_TYPE_NONE
            try send(scaled)
            nextIndex += 1
            frames += 1
        }
    }

    private func scale(_ frame: UnsafeMutablePointer<AVFrame>) throws {
        let source = (frame.pointee.width, frame.pointee.height, frame.pointee.format)
        if scaler == nil || source != scalerSource {
            sws_freeContext(scaler)
            let target = unrotated ?? scaled!
            scaler = sws_getContext(
                source.0, source.1, AVPixelFormat(rawValue: source.2), target.pointee.width, target.pointee.height,
                AV_PIX_FMT_YUV420P, SWS_BICUBIC, nil, nil, nil
            )
            scalerSource = source
            guard scaler != nil else { throw Transcoder.TranscodeError.ffmpeg("cannot scale this picture format") }
        }
        guard let scaled else { return }
        try FFmpegError.checkThrowing(av_frame_make_writable(scaled), "reuse the scaled frame")
        if let unrotated {
            try FFmpegError.checkThrowing(av_frame_make_writable(unrotated), "reuse the scaled frame")
            try ImageWriter.scale(frame, into: unrotated, with: scaler!)
            FrameRotator.rotate(unrotated, into: scaled, clockwise: rotation)
        } else {
            try ImageWriter.scale(frame, into: scaled, with: scaler!)
        }

    }

    private func send(_ frame: UnsafeMutablePointer<AVFrame>?) throws {
        guard let encoder, let packet else { return }
        try FFmpegError.checkThrowing(avcodec_send_frame(encoder, frame), "encode \(rung.resolution)p")
        while true {
            let received = avcodec_receive_packet(encoder, packet)
            if received == FFmpegError.again || received == FFmpegError.endOfFile { return }
            try FFmpegError.checkThrowing(received, "encode \(rung.resolution)p")
            // One frame long (constant frame rate), so muxers end the last segment at the true end.
            if packet.pointee.duration <= 0 { packet.pointee.duration = 1 }
            for muxer in muxers { try muxer.write(packet, stream: 0, from: encoder.pointee.time_base) }
            av_packet_unref(packet)
        }
    }

    func writeAudio(_ packet: UnsafeMutablePointer<AVPacket>, timeBase: AVRational) throws {
        for muxer in muxers where muxer.hasAudio { try muxer.write(packet, stream: 1, from: timeBase) }
    }

    func finish() throws -> RungResult {
        try send(nil)
        for muxer in muxers { try muxer.finish() }
        let fragmented = output.hlsDirectory + "/" + output.fragmented(rung)
        let size = (try? FileManager.default.attributesOfItem(atPath: fragmented)[.size] as? NSNumber)?.int64Value ?? 0
        var webSize: Int64?
        if let web = output.webVideoDirectory {
            webSize =
                (try? FileManager.default.attributesOfItem(atPath: web + "/" + output.webVideo(rung))[.size]
                as? NSNumber)?.int64Value
        }
        return RungResult(
            rung: rung, videoCodec: codecString(), fragmentedSize: size, webVideoSize: webSize, frames: frames,
            hasAudio: audio != nil)
    }

    /// `avc1.PPCCLL` (RFC 6381 §3.3) from the avcC extradata: profile, constraint flags, level.
    func codecString() -> String {
        guard let encoder, let extradata = encoder.pointee.extradata, encoder.pointee.extradata_size >= 4 else {
            return "avc1.64001f"
        }
        if extradata[0] == 1 {
            return String(format: "avc1.%02x%02x%02x", extradata[1], extradata[2], extradata[3])
        }
        // Annex B extradata: find the SPS NAL unit after a start code.
        let size = Int(encoder.pointee.extradata_size)
        var index = 0
        while index + 4 < size {
            if extradata[index] == 0, extradata[index + 1] == 0, extradata[index + 2] == 1,
                extradata[index + 3] & 0x1F == 7,
                index + 6 < size
            {
                return String(
                    format: "avc1.%02x%02x%02x", extradata[index + 4], extradata[index + 5], extradata[index + 6])
            }
            index += 1
        }
        return "avc1.64001f"
    }
}

/// One output file (HLS playlist with its fragmented MP4, or a web MP4) with a video and an audio stream.
final class Muxer {
    private var context: UnsafeMutablePointer<AVFormatContext>?
    private var options: OpaquePointer?
    let hasAudio: Bool

    init(
        format: String, path: String, options: [String: String], video: UnsafeMutablePointer<AVCodecContext>,
        audio: AudioEncoder?
    )
        throws
    {
        try FFmpegError.checkThrowing(avformat_alloc_output_context2(&context, nil, format, path), "create \(path)")
        guard let context else { throw Transcoder.TranscodeError.ffmpeg("create \(path)") }
        for (key, value) in options { av_dict_set(&self.options, key, value, 0) }
        hasAudio = audio != nil
        guard let videoStream = avformat_new_stream(context, nil) else {
            throw Transcoder.TranscodeError.ffmpeg("add a video stream")
        }
        try FFmpegError.checkThrowing(
            avcodec_parameters_from_context(videoStream.pointee.codecpar, video), "video parameters")
        videoStream.pointee.time_base = video.pointee.time_base
        if let audio {
            guard let audioStream = avformat_new_stream(context, nil) else {
                throw Transcoder.TranscodeError.ffmpeg("add an audio stream")
            }
            try FFmpegError.checkThrowing(
                avcodec_parameters_from_context(audioStream.pointee.codecpar, audio.codecContext), "audio parameters")
            audioStream.pointee.time_base = audio.timeBase
        }
        if context.pointee.oformat.pointee.flags & AVFMT_NOFILE == 0 {
            try FFmpegError.checkThrowing(avio_open(&context.pointee.pb, path, AVIO_FLAG_WRITE), "open \(path)")
        }
    }

    deinit {
        av_dict_free(&options)
        if let context, context.pointee.oformat.pointee.flags & AVFMT_NOFILE == 0 { avio_closep(&context.pointee.pb) }
        avformat_free_context(context)
    }

    func writeHeader() throws {
        try FFmpegError.checkThrowing(avformat_write_header(context, &options), "write the header")
    }

    func write(_ packet: UnsafeMutablePointer<AVPacket>, stream: Int32, from timeBase: AVRational) throws {
        guard let context, let copy = av_packet_clone(packet) else {
            throw Transcoder.TranscodeError.ffmpeg("out of memory")
        }
        var owned: UnsafeMutablePointer<AVPacket>? = copy
        defer { av_packet_free(&owned) }
        copy.pointee.stream_index = stream
        av_packet_rescale_ts(copy, timeBase, context.pointee.streams[Int(stream)]!.pointee.time_base)
        try FFmpegError.checkThrowing(av_interleaved_write_frame(context, copy), "write a packet")
    }

    func finish() throws {
        try FFmpegError.checkThrowing(av_write_trailer(context), "finish the file")
    }
}
