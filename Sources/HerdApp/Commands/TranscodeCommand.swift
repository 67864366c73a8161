import ArgumentParser
import Foundation
import HerdCore
import HerdMedia
import HerdTranscode

/// `herd transcode INPUT --out DIR`: the server's pipeline on a local file, with a progress bar.
struct TranscodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transcode",
        abstract: "Transcode a local file with Herd's pipeline (HLS, web MP4, thumbnail, preview).",
        discussion: "For operators and benchmarks: the same one-pass pipeline the server runs for uploads."
    )

    @Argument(help: "The video file to transcode.")
    var input: String

    @Option(name: .long, help: "The folder to write into (created if needed).")
    var out: String

    @Option(name: .long, help: "Comma-separated heights, e.g. 1080,720,480 (default: the configured rungs).")
    var resolutions: String?

    @Option(name: .long, help: "Highest frame rate (default: transcoding.fps.max).")
    var fpsMax: Int?

    @Flag(name: .long, help: "Skip the web MP4 files.")
    var noWebVideos = false

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let settings = try options.settings().transcoding
        var enabled = settings.resolutions
        if let resolutions {
            let parsed = resolutions.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !parsed.isEmpty, parsed.allSatisfy({ $0 > 0 }) else {
                throw ValidationError("--resolutions must be heights such as 1080,720,480")
            }
            enabled = Set(parsed)
        }
        let probe: MediaProbe
        do {
            probe = try Prober.probe(path: input)
        } catch {
            FileHandle.standardError.write(Data("herd: \(input): \(error)\n".utf8))
            throw ExitCode(1)
        }
        let planner = LadderPlanner(
            enabled: enabled, fpsMax: fpsMax ?? settings.fpsMax,
            keepOriginalResolution: resolutions == nil && settings.keepOriginalResolution
        )
        let rungs = try planner.plan(probe.sourceInfo)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let name = URL(fileURLWithPath: input).deletingPathExtension().lastPathComponent
        let output = TranscodeOutput(
            hlsDirectory: out, webVideoDirectory: noWebVideos ? nil : out, name: name,
            thumbnailPath: out + "/\(name).jpg", previewPath: out + "/\(name)-preview.jpg"
        )
        print(
            "\(input): \(probe.container), \(String(format: "%.1f", probe.duration)) s, rungs \(rungs.map(\.description).joined(separator: "; "))"
        )
        var transcodeOptions = Transcoder.Options()
        transcodeOptions.threads = settings.threads
        let started = Date()
        let results = try Transcoder(input: input, rungs: rungs, output: output, options: transcodeOptions).run {
            progress in
            let width = 30
            let filled = Int(progress.percent / 100 * Double(width))
            let eta = progress.eta.map { String(format: " ETA %.0f s", $0) } ?? ""
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            FileHandle.standardError.write(
                Data(
                    "\r[\(bar)] \(String(format: "%5.1f", progress.percent))% \(String(format: "%.0f", progress.fps)) fps\(eta)   "
                        .utf8)
            )
        }
        try Transcoder.package(results, output: output)
        FileHandle.standardError.write(Data("\n".utf8))
        for result in results {
            print(
                "\(result.rung.resolution)p: \(result.frames) frames, \(result.fragmentedSize) bytes HLS, \(result.videoCodec)"
            )
        }
        print(String(format: "done in %.1f s: %@/%@", Date().timeIntervalSince(started), out, output.masterPlaylist))
    }
}
