import CFFmpeg

/// Resamples decoded audio to 48 kHz stereo and encodes AAC once, for every rung to share.
final class AudioEncoder {
    private var context: UnsafeMutablePointer<AVCodecContext>?
    private var resampler: OpaquePointer?
    private var fifo: OpaquePointer?
    private var frame: UnsafeMutablePointer<AVFrame>?
    private var nextPTS: Int64 = 0
    static let sampleRate: Int32 = 48_000
    var timeBase: AVRational { AVRational(num: 1, den: Self.sampleRate) }
    var codecContext: UnsafeMutablePointer<AVCodecContext> { context! }

    init(decoder: UnsafeMutablePointer<AVCodecContext>, bitrate: Int) throws {
        guard let codec = avcodec_find_encoder(AV_CODEC_ID_AAC), let context = avcodec_alloc_context3(codec) else {
            throw Transcoder.TranscodeError.ffmpeg("no AAC encoder")
        }
        self.context = context
        context.pointee.sample_fmt = AV_SAMPLE_FMT_FLTP
        context.pointee.sample_rate = Self.sampleRate
        av_channel_layout_default(&context.pointee.ch_layout, 2)
        context.pointee.bit_rate = Int64(bitrate)
        context.pointee.time_base = AVRational(num: 1, den: Self.sampleRate)
        context.pointee.flags |= Int32(AV_CODEC_FLAG_GLOBAL_HEADER)
        try FFmpegError.checkThrowing(avcodec_open2(context, codec, nil), "open the AAC encoder")

        var inputLayout = decoder.pointee.ch_layout
        if inputLayout.nb_channels == 0 || inputLayout.order == AV_CHANNEL_ORDER_UNSPEC {
            av_channel_layout_default(&inputLayout, max(1, decoder.pointee.ch_layout.nb_channels))
        }
        try FFmpegError.checkThrowing(
            swr_alloc_set_opts2(
                &resampler, &context.pointee.ch_layout, AV_SAMPLE_FMT_FLTP, Self.sampleRate, &inputLayout,
                decoder.pointee.sample_fmt, decoder.pointee.sample_rate, 0, nil
            ), "configure the resampler")
        try FFmpegError.checkThrowing(swr_init(resampler), "start the resampler")
        fifo = av_audio_fifo_alloc(AV_SAMPLE_FMT_FLTP, 2, context.pointee.frame_size * 4)
        frame = av_frame_alloc()
    }

    deinit {
        av_frame_free(&frame)
        if let fifo { av_audio_fifo_free(fifo) }
        swr_free(&resampler)
        avcodec_free_context(&context)
    }

    /// Resamples one decoded frame and returns the AAC packets that became ready (owned by the caller).
    func encode(_ input: UnsafeMutablePointer<AVFrame>) throws -> [UnsafeMutablePointer<AVPacket>] {
        let maxSamples = swr_get_out_samples(resampler, input.pointee.nb_samples)
        guard maxSamples > 0 else { return [] }
        var planes: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>? = nil
        try FFmpegError.checkThrowing(
            av_samples_alloc_array_and_samples(&planes, nil, 2, maxSamples, AV_SAMPLE_FMT_FLTP, 0), "allocate samples")
        defer {
            av_freep(planes)
            av_freep(&planes)
        }
        let converted = input.pointee.extended_data.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 8) {
            data in
            swr_convert(resampler, planes, maxSamples, data, input.pointee.nb_samples)
        }
        guard converted >= 0 else {
            throw Transcoder.TranscodeError.ffmpeg("\(FFmpegError(code: converted, operation: "resample"))")
        }
        planes!.withMemoryRebound(to: UnsafeMutableRawPointer?.self, capacity: 2) { pointer in
            _ = av_audio_fifo_write(fifo, pointer, converted)
        }
        return try drain(final: false)
    }

    /// Encodes what is left and flushes the encoder.
    func flush() throws -> [UnsafeMutablePointer<AVPacket>] {
        var packets = try drain(final: true)
        packets += try send(nil)
        return packets
    }

    private func drain(final: Bool) throws -> [UnsafeMutablePointer<AVPacket>] {
        guard let context, let frame, let fifo else { return [] }
        let frameSize = context.pointee.frame_size
        var packets: [UnsafeMutablePointer<AVPacket>] = []
        while av_audio_fifo_size(fifo) >= frameSize || (final && av_audio_fifo_size(fifo) > 0) {
            let count = min(frameSize, av_audio_fifo_size(fifo))
            av_frame_unref(frame)
            frame.pointee.nb_samples = count
            frame.pointee.format = AV_SAMPLE_FMT_FLTP.rawValue
            frame.pointee.sample_rate = Self.sampleRate
            av_channel_layout_copy(&frame.pointee.ch_layout, &context.pointee.ch_layout)
            try FFmpegError.checkThrowing(av_frame_get_buffer(frame, 0), "allocate an audio frame")
            let read = withUnsafeMutablePointer(to: &frame.pointee.data) { data in
                data.withMemoryRebound(to: UnsafeMutableRawPointer?.self, capacity: 8) {
                    av_audio_fifo_read(fifo, $0, count)
                }
            }
            guard read == count else { throw Transcoder.TranscodeError.ffmpeg("audio FIFO underrun") }
            frame.pointee.pts = nextPTS
            nextPTS += Int64(count)
            packets += try send(frame)
        }
        return packets
    }

    private func send(_ frame: UnsafeMutablePointer<AVFrame>?) throws -> [UnsafeMutablePointer<AVPacket>] {
        guard let context else { return [] }
        try FFmpegError.checkThrowing(avcodec_send_frame(context, frame), "encode audio")
        var packets: [UnsafeMutablePointer<AVPacket>] = []
        while true {
            guard let packet = av_packet_alloc() else { break }
            let received = avcodec_receive_packet(context, packet)
            if received < 0 {
                var unused: UnsafeMutablePointer<AVPacket>? = packet
                av_packet_free(&unused)
                if received == FFmpegError.again || received == FFmpegError.endOfFile { break }
                throw Transcoder.TranscodeError.ffmpeg("\(FFmpegError(code: received, operation: "encode audio"))")
            }
            packets.append(packet)
        }
        return packets
    }
}
