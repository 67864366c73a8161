import CFFmpeg

/// Turns YUV 4:2:0 pictures by 90, 180 or 270 degrees clockwise, so phone videos play upright everywhere
/// (players that ignore the display matrix included). `ffmpeg` does the same with its transpose filter.
enum FrameRotator {
    /// Rotates `source` into `destination`, whose size must already be the turned size.
    static func rotate(
        _ source: UnsafeMutablePointer<AVFrame>, into destination: UnsafeMutablePointer<AVFrame>, clockwise: Int
    ) {
        for plane in 0..<3 {
            let divisor = plane == 0 ? 1 : 2
            let width = Int(source.pointee.width) / divisor
            let height = Int(source.pointee.height) / divisor
            guard let from = pointer(source, plane), let to = pointer(destination, plane) else { continue }
            let fromStride = stride(source, plane)
            let toStride = stride(destination, plane)
            switch clockwise {
            case 90:
                // Destination row r, column c comes from source row (height - 1 - c), column r.
                for row in 0..<width {
                    let out = to + row * toStride
                    for column in 0..<height { out[column] = from[(height - 1 - column) * fromStride + row] }
                }
            case 270:
                for row in 0..<width {
                    let out = to + row * toStride
                    for column in 0..<height { out[column] = from[column * fromStride + (width - 1 - row)] }
                }
            case 180:
                for row in 0..<height {
                    let out = to + row * toStride
                    let input = from + (height - 1 - row) * fromStride
                    for column in 0..<width { out[column] = input[width - 1 - column] }
                }
            default:
                return
            }
        }
    }

    static func pointer(_ frame: UnsafeMutablePointer<AVFrame>, _ plane: Int) -> UnsafeMutablePointer<UInt8>? {
        withUnsafePointer(to: &frame.pointee.data) {
            $0.withMemoryRebound(to: UnsafeMutablePointer<UInt8>?.self, capacity: 8) { $0[plane] }
        }
    }

    static func stride(_ frame: UnsafeMutablePointer<AVFrame>, _ plane: Int) -> Int {
        withUnsafePointer(to: &frame.pointee.linesize) {
            $0.withMemoryRebound(to: Int32.self, capacity: 8) { Int($0[plane]) }
        }
    }
}
