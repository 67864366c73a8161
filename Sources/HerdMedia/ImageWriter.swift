import CFFmpeg
import Foundation

/// Writes a decoded frame as a JPEG with libavcodec's mjpeg encoder (thumbnails and previews).
enum ImageWriter {
    /// Scales `frame` to `width`×`height` and writes it to `path`.
    static func writeJPEG(_ frame: UnsafeMutablePointer<AVFrame>, width: Int, height: Int, path: String) throws {
        guard let codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG), let context = avcodec_alloc_context3(codec) else {
            throw Transcoder.TranscodeError.ffmpeg("no JPEG encoder")
        }
        var contextPointer: UnsafeMutablePointer<AVCodecContext>? = context
        defer { avcodec_free_context(&contextPointer) }
        context.pointee.width = Int32(width)
        context.pointee.height = Int32(height)
        context.pointee.pix_fmt = AV_PIX_FMT_YUVJ420P
        context.pointee.time_base = AVRational(num: 1, den: 25)
        context.pointee.flags |= Int32(AV_CODEC_FLAG_QSCALE)
        context.pointee.global_quality = Int32(FF_QP2LAMBDA) * 3
        try FFmpegError.checkThrowing(avcodec_open2(context, codec, nil), "open the JPEG encoder")

        var image = av_frame_alloc()
        defer { av_frame_free(&image) }
        guard let target = image else { throw Transcoder.TranscodeError.ffmpeg("out of memory") }
        target.pointee.width = Int32(width)
        target.pointee.height = Int32(height)
        target.pointee.format = AV_PIX_FMT_YUVJ420P.rawValue
        try FFmpegError.checkThrowing(av_frame_get_buffer(target, 0), "allocate an image")
        guard
            let scaler = sws_getContext(
                frame.pointee.width, frame.pointee.height, AVPixelFormat(rawValue: frame.pointee.format), Int32(width),
                Int32(height), AV_PIX_FMT_YUVJ420P, SWS_BICUBIC, nil, nil, nil)
        else { throw Transcoder.TranscodeError.ffmpeg("cannot scale this picture format") }
        defer { sws_freeContext(scaler) }
        try scale(frame, into: target, with: scaler)
        target.pointee.pts = 0
        try FFmpegError.checkThrowing(avcodec_send_frame(context, target), "encode a JPEG")
        try FFmpegError.checkThrowing(avcodec_send_frame(context, nil), "finish a JPEG")
        var packet = av_packet_alloc()
        defer { av_packet_free(&packet) }
        guard let packet else { throw Transcoder.TranscodeError.ffmpeg("out of memory") }
        try FFmpegError.checkThrowing(avcodec_receive_packet(context, packet), "encode a JPEG")
        let data = Data(bytes: packet.pointee.data, count: Int(packet.pointee.size))
        let temporary = path + ".partial"
        try data.write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, path) == 0 else {  // atomic replace: readers never see half an image
            throw Transcoder.TranscodeError.ffmpeg("cannot move the image into place at \(path)")
        }
    }

    /// `sws_scale` with FFmpeg's fixed-size plane arrays bridged to pointers.
    static func scale(
        _ frame: UnsafeMutablePointer<AVFrame>, into target: UnsafeMutablePointer<AVFrame>, with scaler: OpaquePointer
    )
        throws
    {
        let rows = withUnsafePointer(to: &frame.pointee.data) { source in
            source.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 8) { sourcePlanes in
                withUnsafePointer(to: &frame.pointee.linesize) { sourceStrides in
                    sourceStrides.withMemoryRebound(to: Int32.self, capacity: 8) { strides in
                        withUnsafeMutablePointer(to: &target.pointee.data) { destination in
                            destination.withMemoryRebound(to: UnsafeMutablePointer<UInt8>?.self, capacity: 8) {
                                planes in
                                withUnsafePointer(to: &target.pointee.linesize) { destinationStrides in
                                    destinationStrides.withMemoryRebound(to: Int32.self, capacity: 8) { outStrides in
                                        sws_scale(
                                            scaler, sourcePlanes, strides, 0, frame.pointee.height, planes, outStrides)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        guard rows > 0 else { throw Transcoder.TranscodeError.ffmpeg("scaling failed") }
    }
}
