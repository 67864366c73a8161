import CFFmpeg
import Foundation
import HerdCore

/// Opens an upload for demuxing, sandboxed. The demuxer is the one for the container the file's first bytes show
/// (`MediaSniffer`), never FFmpeg's own guess; `format_whitelist` holds real containers only and
/// `protocol_whitelist` only `file`, for the file and anything a demuxer would open from it. So a crafted upload
/// reaches no playlist, concat or image-sequence demuxer, and no `http`, `concat`, `hls`, `subfile` or other
/// protocol: it cannot make a request or read another file.
enum MediaInput {
    struct Refused: Error, CustomStringConvertible {
        /// Safe to show to the uploader.
        var reason: String
        /// FFmpeg's words, for the logs.
        var cause: String?

        var description: String { cause.map { "\(reason) (\($0))" } ?? reason }
    }

    /// Every demuxer an upload may reach (FFmpeg's names).
    static let formatWhitelist = "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,ogg,avi,flv,mpegts,mpeg,wav,mp3,flac,aac,asf"

    /// FFmpeg's demuxer for a sniffed container.
    static func demuxer(for container: MediaSniffer.Container) -> String {
        switch container {
        case .mp4: "mov"
        case .matroska: "matroska"
        case .ogg: "ogg"
        case .avi: "avi"
        case .flv: "flv"
        case .mpegTS: "mpegts"
        case .mpegPS: "mpeg"
        case .wav: "wav"
        case .mp3: "mp3"
        case .flac: "flac"
        case .aac: "aac"
        case .asf: "asf"
        }
    }

    /// The container of the file at `path`, from its first bytes.
    static func container(of path: String) throws(Refused) -> MediaSniffer.Container {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw Refused(reason: "the file cannot be read")
        }
        defer { try? handle.close() }
        let prefix = (try? handle.read(upToCount: MediaSniffer.prefixLength)) ?? Data()
        guard let container = MediaSniffer.sniff(Array(prefix)) else {
            throw Refused(reason: "the file is not in a known video or audio container")
        }
        return container
    }

    /// An opened input; close it with `avformat_close_input`.
    static func open(_ path: String) throws(Refused) -> UnsafeMutablePointer<AVFormatContext> {
        let container = try container(of: path)
        guard let demuxer = av_find_input_format(demuxer(for: container)) else {
            throw Refused(reason: "this server cannot read \(container.rawValue) files")
        }
        var options: OpaquePointer?
        av_dict_set(&options, "protocol_whitelist", "file", 0)
        av_dict_set(&options, "format_whitelist", formatWhitelist, 0)
        defer { av_dict_free(&options) }
        var context: UnsafeMutablePointer<AVFormatContext>?
        let opened = avformat_open_input(&context, path, demuxer, &options)
        guard opened >= 0, let context else {
            throw Refused(
                reason: "the file is not a readable \(container.rawValue) file",
                cause: "\(FFmpegError(code: opened, operation: "open"))")
        }
        return context
    }
}
