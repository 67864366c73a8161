import Foundation
import HerdCrypto
import HerdMedia
import HerdTestSupport
import HerdTranscode
import Testing

/// ffprobe (Debian's ffmpeg package), as an independent reader of what the transcoder wrote.
enum FFprobe {
    static func json(_ path: String) throws -> [String: Any] {
        let result = try Subprocess.run(
            "/usr/bin/ffprobe", ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", path],
            capture: .standardOutput)
        try #require(result.status == 0, "ffprobe could not read \(path)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
    }

    /// Decodes every frame with the ffmpeg CLI; returns what it printed on errors (empty when clean).
    static func decodeErrors(_ path: String) throws -> String {
        let result = try Subprocess.run(
            "/usr/bin/ffmpeg", ["-v", "error", "-i", path, "-f", "null", "-"], capture: .standardError)
        return result.output + (result.status == 0 ? "" : "exit \(result.status)")
    }

    static func duration(_ path: String) throws -> Double {
        let format = try #require(try json(path)["format"] as? [String: Any])
        return Double(try #require(format["duration"] as? String)) ?? 0
    }
}

@Suite("One-pass transcoder", .ownThread)
struct TranscoderTests {
    @Test("the shared MP4 becomes HLS and web MP4 rungs that ffprobe reads, with matching durations")
    func sharedClip() throws {
        let directory = try Clips.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let hls = directory.appendingPathComponent("hls").path
        let web = directory.appendingPathComponent("web").path
        try FileManager.default.createDirectory(atPath: hls, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: web, withIntermediateDirectories: true)
        let probe = try Prober.probe(path: Clips.vector("video_short.mp4"))
        let rungs = try LadderPlanner(enabled: [360, 720]).plan(probe.sourceInfo)
        #expect(rungs.map(\.resolution) == [720, 360])
        let output = TranscodeOutput(
            hlsDirectory: hls, webVideoDirectory: web, name: "clip", thumbnailPath: directory.path + "/clip.jpg",
            previewPath: directory.path + "/clip-preview.jpg"
        )
        var reports: [TranscodeProgress] = []
        let results = try Transcoder(input: Clips.vector("video_short.mp4"), rungs: rungs, output: output)
            .run(progress: { reports.append($0) })
        #expect(results.count == 2)
        for (image, height) in [("clip.jpg", 158), ("clip-preview.jpg", 480)] {
            let streams = try #require(try FFprobe.json(directory.path + "/" + image)["streams"] as? [[String: Any]])
            #expect(streams.first?["codec_name"] as? String == "mjpeg")
            #expect(streams.first?["height"] as? Int == height)
        }
        try Transcoder.package(results, output: output)
        let master = try String(contentsOfFile: hls + "/" + output.masterPlaylist, encoding: .utf8)
        #expect(master.hasPrefix("#EXTM3U\n"))
        #expect(master.contains("RESOLUTION=1280x720,FRAME-RATE=25.000,CODECS=\"avc1."))
        #expect(master.contains(",mp4a.40.2\""))
        #expect(master.contains("\nclip-360.m3u8\n"))
        #expect(try FFprobe.decodeErrors(hls + "/" + output.masterPlaylist) == "")
        // segments-sha256.json matches the bytes of every segment.
        let hashes = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: hls + "/" + output.segmentsSha256)))
                as? [String: [String: String]]
        )
        let fragmented = try Data(contentsOf: URL(fileURLWithPath: hls + "/clip-720-fragmented.mp4"))
        let ranges = try #require(hashes["clip-720-fragmented.mp4"])
        #expect(ranges.count >= 2)
        for (range, hash) in ranges {
            let bounds = range.split(separator: "-").compactMap { Int($0) }
            #expect(Digest.hex(Digest.sha256(fragmented[bounds[0]...bounds[1]])) == hash)
        }
        // Segments are cut at the same times in every rung (4 s, keyframes every 2 s).
        let segmentDurations = try results.map { result in
            try String(contentsOfFile: hls + "/" + output.playlist(result.rung), encoding: .utf8)
                .split(separator: "\n").filter { $0.hasPrefix("#EXTINF:") }
        }
        #expect(segmentDurations[0] == segmentDurations[1])
        #expect(segmentDurations[0].first == "#EXTINF:4.000000,")
        #expect(reports.last?.percent == 100)
        for result in results {
            #expect(result.videoCodec.hasPrefix("avc1."))
            #expect(result.fragmentedSize > 10_000)
            let playlist = try String(contentsOfFile: hls + "/" + output.playlist(result.rung), encoding: .utf8)
            #expect(playlist.contains("#EXT-X-MAP:URI=\"\(output.fragmented(result.rung))\",BYTERANGE="))
            #expect(playlist.contains("#EXT-X-BYTERANGE:"))
            #expect(playlist.contains("#EXT-X-ENDLIST"))
            let webPath = web + "/" + output.webVideo(result.rung)
            let streams = try #require(try FFprobe.json(webPath)["streams"] as? [[String: Any]])
            let video = try #require(streams.first { $0["codec_type"] as? String == "video" })
            #expect(video["height"] as? Int == result.rung.height)
            #expect(video["width"] as? Int == result.rung.width)
            #expect(
                streams.contains { $0["codec_type"] as? String == "audio" && $0["sample_rate"] as? String == "48000" })
            #expect(abs(try FFprobe.duration(webPath) - probe.duration) < 0.1)
            #expect(abs(try FFprobe.duration(hls + "/" + output.playlist(result.rung)) - probe.duration) < 0.1)
            #expect(try FFprobe.decodeErrors(hls + "/" + output.playlist(result.rung)) == "")
            #expect(try FFprobe.decodeErrors(webPath) == "")
        }
    }
}

@Suite("Rotated sources", .ownThread)
struct RotationTests {
    /// The first frame as 8-bit gray, decoded by the ffmpeg CLI (which turns rotated sources upright itself).
    static func grayFrame(_ path: String, width: Int, height: Int) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        process.arguments = [
            "-v", "error", "-i", path, "-frames:v", "1", "-s", "\(width)x\(height)", "-pix_fmt", "gray", "-f",
            "rawvideo", "-",
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        let exit = try ProcessExit(starting: process)
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        exit.wait()
        return Array(data)
    }

    @Test(
        "a phone video is turned upright: portrait rungs that look like ffmpeg's own autorotated decode",
        arguments: [90, 180, 270])
    func upright(degrees: Int) throws {
        let directory = try Clips.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        // testsrc2 is asymmetric, so a wrong turn or a mirror shows.
        let landscape = try Clips.generate(
            "landscape.mp4", in: directory,
            ["-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30:duration=1"] + Clips.x264
        )
        let rotated = try Clips.generate(
            "phone.mp4", in: directory, ["-i", landscape, "-c", "copy", "-metadata:s:v:0", "rotate=\(degrees)"]
        )
        let probe = try Prober.probe(path: rotated)
        let rungs = try LadderPlanner(enabled: [360]).plan(probe.sourceInfo)
        let portrait = degrees != 180
        #expect(rungs.map { [$0.width, $0.height] } == [portrait ? [360, 640] : [640, 360]])
        let output = TranscodeOutput(hlsDirectory: directory.path, webVideoDirectory: directory.path, name: "out")
        let results = try Transcoder(input: rotated, rungs: rungs, output: output).run()
        let web = directory.path + "/" + output.webVideo(results[0].rung)
        let (width, height) = (rungs[0].width, rungs[0].height)
        let ours = try Self.grayFrame(web, width: width, height: height)
        let reference = try Self.grayFrame(rotated, width: width, height: height)
        #expect(ours.count == width * height && reference.count == ours.count)
        let difference = zip(ours, reference).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) } / max(1, ours.count)
        #expect(difference < 12, "mean difference \(difference) against ffmpeg's upright frame")
    }
}

@Suite("Audio-only sources", .ownThread)
struct AudioOnlyTests {
    @Test(
        "an audio file becomes a 480p still picture with its sound, as PeerTube does",
        arguments: ["sample.ogg", "tone.m4a"])
    func stillWithSound(name: String) throws {
        let directory = try Clips.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input =
            name == "sample.ogg"
            ? Clips.vector(name) : try Clips.generate(name, in: directory, Clips.testAudio + ["-c:a", "aac"])
        let probe = try Prober.probe(path: input)
        let rungs = try LadderPlanner().plan(probe.sourceInfo)
        #expect(rungs.map(\.resolution) == [480])
        let output = TranscodeOutput(
            hlsDirectory: directory.path, webVideoDirectory: directory.path, name: "audio",
            thumbnailPath: directory.path + "/audio.jpg"
        )
        let results = try Transcoder(input: input, rungs: rungs, output: output).run()
        try Transcoder.package(results, output: output)
        let web = directory.path + "/" + output.webVideo(rungs[0])
        let streams = try #require(try FFprobe.json(web)["streams"] as? [[String: Any]])
        #expect(
            streams.contains {
                $0["codec_type"] as? String == "video" && $0["width"] as? Int == 854 && $0["height"] as? Int == 480
            })
        #expect(streams.contains { $0["codec_type"] as? String == "audio" })
        #expect(abs(try FFprobe.duration(web) - probe.duration) < 0.15)
        #expect(try FFprobe.decodeErrors(directory.path + "/" + output.masterPlaylist) == "")
        #expect(FileManager.default.fileExists(atPath: directory.path + "/audio.jpg"))
    }
}

/// The m3u8 package from PyPI (installed by `make test`), strict mode, as an independent playlist checker.
enum M3U8Strict {
    static func errors(_ path: String) throws -> String {
        let result = try Subprocess.run(
            "/usr/bin/env",
            ["python3", "-c", "import m3u8, sys; m3u8.parser.parse(open(sys.argv[1]).read(), strict=True)", path],
            capture: .standardError)
        return result.status == 0 ? "" : result.output
    }
}

@Suite("Transcoding generated and shared clips", .ownThread)
struct LadderOutputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var arguments: [String]?  // nil: a shared vector
        var expected: [Int]
        var fps: [Int]
        var hasAudio: Bool
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "video_short.webm", arguments: nil, expected: [720, 480, 360, 240], fps: [25, 25, 25, 25],
            hasAudio: true),
        Case(
            name: "odd.mp4",
            arguments: ["-f", "lavfi", "-i", "testsrc2=size=1278x718:rate=30:duration=6"] + Clips.testAudio + Clips.x264
                + ["-c:a", "aac"],
            expected: [718, 480, 360, 240], fps: [30, 30, 30, 30], hasAudio: true
        ),
        Case(
            name: "sixty.mp4",
            arguments: ["-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=60:duration=5"] + Clips.x264,
            expected: [720, 480, 360, 240], fps: [60, 30, 30, 30], hasAudio: false
        ),
        Case(
            name: "four-three.mp4",
            arguments: ["-f", "lavfi", "-i", "testsrc2=size=640x480:rate=24:duration=5"] + Clips.x264,
            expected: [480, 360, 240], fps: [24, 24, 24], hasAudio: false
        ),
    ]

    @Test(
        "every rung exists, ffprobe reads it, segments line up, durations and hashes match, playlists are strict",
        arguments: cases)
    func ladder(testCase: Case) throws {
        let directory = try Clips.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input =
            try testCase.arguments.map { try Clips.generate(testCase.name, in: directory, $0) }
            ?? Clips.vector(testCase.name)
        let probe = try Prober.probe(path: input)
        let rungs = try LadderPlanner().plan(probe.sourceInfo)
        #expect(rungs.map(\.resolution) == testCase.expected)
        #expect(rungs.map(\.fps) == testCase.fps)
        let output = TranscodeOutput(hlsDirectory: directory.path, webVideoDirectory: nil, name: "out")
        let results = try Transcoder(input: input, rungs: rungs, output: output).run()
        try Transcoder.package(results, output: output)
        #expect(try M3U8Strict.errors(directory.path + "/" + output.masterPlaylist) == "")
        var boundaries: [[String]] = []
        let hashes = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: directory.path + "/" + output.segmentsSha256)))
                as? [String: [String: String]]
        )
        for result in results {
            let playlistPath = directory.path + "/" + output.playlist(result.rung)
            #expect(try M3U8Strict.errors(playlistPath) == "")
            let text = try String(contentsOfFile: playlistPath, encoding: .utf8)
            boundaries.append(text.split(separator: "\n").filter { $0.hasPrefix("#EXTINF:") }.map(String.init))
            let streams = try #require(try FFprobe.json(playlistPath)["streams"] as? [[String: Any]])
            #expect(
                streams.contains {
                    $0["codec_type"] as? String == "video" && $0["height"] as? Int == result.rung.height
                })
            #expect(streams.contains { $0["codec_type"] as? String == "audio" } == testCase.hasAudio)
            #expect(abs(try FFprobe.duration(playlistPath) - probe.duration) < 0.1, "\(result.rung)")
            let fragmented = try Data(
                contentsOf: URL(fileURLWithPath: directory.path + "/" + output.fragmented(result.rung)))
            let ranges = try #require(hashes[output.fragmented(result.rung)])
            #expect(ranges.count == HLSPackage.segments(ofPlaylist: text).count)
            for (range, hash) in ranges {
                let bounds = range.split(separator: "-").compactMap { Int($0) }
                #expect(Digest.hex(Digest.sha256(fragmented[bounds[0]...bounds[1]])) == hash)
            }
        }
        #expect(Set(boundaries.map { $0 }).count == 1, "segment boundaries differ across rungs")
    }
}

@Suite("Truncated sources", .ownThread)
struct TruncatedSourceTests {
    @Test("a faststart MP4 cut in the middle is refused with a reason, not published short")
    func truncated() throws {
        let directory = try Clips.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let whole = try Clips.generate(
            "whole.mp4", in: directory,
            ["-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30:duration=8"] + Clips.x264 + [
                "-movflags", "+faststart",
            ]
        )
        let data = try Data(contentsOf: URL(fileURLWithPath: whole))
        let cut = directory.appendingPathComponent("cut.mp4").path
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: cut))
        let probe = try Prober.probe(path: cut)  // the header is intact, so probing succeeds
        let rungs = try LadderPlanner(enabled: [240]).plan(probe.sourceInfo)
        let output = TranscodeOutput(hlsDirectory: directory.path, webVideoDirectory: nil, name: "cut")
        #expect {
            _ = try Transcoder(input: cut, rungs: rungs, output: output).run()
        } throws: { error in
            "\(error)".contains("truncated")
        }
    }
}
