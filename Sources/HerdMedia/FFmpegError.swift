import CFFmpeg

/// An FFmpeg return code turned into text.
struct FFmpegError: Error, CustomStringConvertible {
    var code: Int32
    var operation: String

    var description: String {
        var buffer = [CChar](repeating: 0, count: 256)
        herd_av_error_string(code, &buffer, buffer.count)
        let text = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return "\(operation): \(text)"
    }

    /// Throws when `code` is negative.
    static func check(_ code: Int32, _ operation: @autoclosure () -> String) throws -> Int32 {
        guard code >= 0 else { throw FFmpegError(code: code, operation: operation()) }
        return code
    }

    static let again = herd_averror_eagain()
    static let endOfFile = herd_averror_eof()
}
