import Foundation
import HerdTestSupport
import Testing

/// Test clips: the shared vectors, and clips made in the test with the ffmpeg command line (Debian's
/// ffmpeg package, used here only as an independent tool) from its lavfi sources.
enum Clips {
    /// `$HERD_VECTORS` (set by `make test`), else `../shared/vectors` beside the repository.
    static let vectors =
        (ProcessInfo.processInfo.environment["HERD_VECTORS"].map { URL(fileURLWithPath: $0) }
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/vectors"))
        .appendingPathComponent("peertube/media")

    static func vector(_ name: String) -> String { vectors.appendingPathComponent(name).path }

    static func scratch() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("herd-media-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Runs `ffmpeg -y -v error <arguments> <output>` and returns the output path.
    static func generate(_ name: String, in directory: URL, _ arguments: [String]) throws -> String {
        let output = directory.appendingPathComponent(name).path
        let result = try Subprocess.run(
            "/usr/bin/ffmpeg", ["-y", "-v", "error"] + arguments + [output], capture: .standardError)
        try #require(result.status == 0, "ffmpeg failed: \(result.output)")
        return output
    }

    static let testVideo = ["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30:duration=2"]
    static let testAudio = ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=2"]
    static let x264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
}
