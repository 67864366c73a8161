import Foundation
import HerdMedia
import HerdTestSupport
import HerdTranscode
import Testing

/// Uploads are hostile (issue 14): FFmpeg opens them with the demuxer their first bytes show, real containers
/// only and the `file` protocol only; media past the limits is refused before work, and timestamps never turn a
/// tiny file into millions of frames.
@Suite("Media sandbox and limits", .ownThread)
struct SandboxTests {
    @Test("crafted uploads (playlists, concat scripts, ID3-prefixed text) make no request and read no other file")
    func craftedInputs() throws {
        let directory = try Clips.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let listener = try LoopbackListener()
        let url = "http://127.0.0.1:\(listener.port)/segment.ts"
        let real = Clips.vector("video_short.mp4")
        let playlist = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\n\(url)\n#EXT-X-ENDLIST\n"
        let localPlaylist = "#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXTINF:5.0,\nfile:\(real)\n#EXT-X-ENDLIST\n"
        let concat = "ffconcat version 1.0\nfile '\(real)'\nfile '\(url)'\n"
        let id3: [UInt8] = Array("ID3".utf8) + [4, 0, 0, 0, 0, 0, 0]
        let crafted: [(String, [UInt8])] = [
            ("playlist.m3u8", Array(playlist.utf8)),
            ("playlist.mp4", Array(playlist.utf8)),
            ("local.m3u8", Array(localPlaylist.utf8)),
            ("concat.mp4", Array(concat.utf8)),
            ("id3-playlist.mp3", id3 + Array(playlist.utf8)),
            ("id3-local.mp3", id3 + Array(localPlaylist.utf8)),
            ("id3-concat.mp3", id3 + Array(concat.utf8)),
            ("id3-frames-then-playlist.mp3", id3 + [0xFF, 0xFB, 0x90, 0x64] + Array(playlist.utf8)),
            (
                "sdp.mp4",
                Array("v=0\no=- 0 0 IN IP4 127.0.0.1\nc=IN IP4 127.0.0.1\nm=video \(listener.port) RTP/AVP 96\n".utf8)
            ),
        ]
        for (name, bytes) in crafted {
            let path = directory.appendingPathComponent(name).path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            #expect(throws: ProbeError.self, "\(name) was probed") { try Prober.probe(path: path) }
            let output = TranscodeOutput(hlsDirectory: directory.path, webVideoDirectory: nil, name: "x")
            let rung = try #require(
                try LadderPlanner().plan(
                    SourceInfo(width: 1280, height: 720, fps: 25, bitrate: nil, hasVideo: true, hasAudio: true)
                ).last)
            #expect(throws: Transcoder.TranscodeError.self, "\(name) was transcoded") {
                try Transcoder(input: path, rungs: [rung], output: output).run()
            }
        }
        #expect(listener.connections() == 0)
    }

    @Test("limits: a huge picture, a fast or endless file is refused before planning, with a reason")
    func limits() throws {
        let limits = MediaLimits()
        func source(_ width: Int, _ height: Int, fps: Double = 30) -> SourceInfo {
            SourceInfo(width: width, height: height, fps: fps, bitrate: nil, hasVideo: true, hasAudio: true)
        }
        #expect(limits.refusal(source(1920, 1080), duration: 60) == nil)
        #expect(limits.refusal(source(4096, 2160), duration: 60) == nil)
        #expect(limits.refusal(source(8192, 8192), duration: 1)?.contains("at most 4096 pixels a side") == true)
        #expect(limits.refusal(source(1080, 4097), duration: 1) != nil)
        #expect(limits.refusal(source(640, 360, fps: 240), duration: 1)?.contains("240 frames a second") == true)
        #expect(limits.refusal(source(640, 360, fps: .nan), duration: 1) != nil)
        #expect(limits.refusal(source(640, 360), duration: 13 * 3600)?.contains("at most 43200 s") == true)
        #expect(limits.refusal(source(640, 360), duration: .infinity) != nil)
        #expect(limits.refusal(source(640, 360), duration: -1) != nil)
        // Audio alone has no picture to measure.
        let audio = SourceInfo(width: 0, height: 0, fps: 0, bitrate: nil, hasVideo: false, hasAudio: true)
        #expect(limits.refusal(audio, duration: 300) == nil)

        let directory = try Clips.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let huge = try Clips.generate(
            "huge.mkv", in: directory,
            ["-f", "lavfi", "-i", "color=c=black:s=8192x8192:r=1:d=1", "-frames:v", "1"] + Clips.x264)
        let probe = try Prober.probe(path: huge)
        #expect(limits.refusal(probe.sourceInfo, duration: probe.duration)?.contains("8192×8192") == true)
    }

    @Test("a two-frame file with a ten-hour gap fails fast instead of becoming a million frames")
    func longGap() throws {
        let directory = try Clips.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        // Two frames, 36,000 s apart: a few hundred bytes that announce ten hours.
        let gap = try Clips.generate(
            "gap.webm", in: directory,
            [
                "-f", "lavfi", "-i", "color=c=red:s=64x64:r=1:d=2", "-vf", "setpts=N*36000/TB", "-fps_mode",
                "passthrough",
                "-c:v", "libvpx",
            ])
        let probe = try Prober.probe(path: gap)
        #expect(probe.duration > 36_000)
        #expect(MediaLimits().refusal(probe.sourceInfo, duration: probe.duration) == nil)  // ten hours are allowed
        let rungs = try LadderPlanner().plan(probe.sourceInfo)
        let output = TranscodeOutput(hlsDirectory: directory.path, webVideoDirectory: nil, name: "gap")
        // Refused at the second frame, before the first rung has filled the gap.
        #expect {
            try Transcoder(input: gap, rungs: rungs, output: output).run()
        } throws: { error in
            "\(error)".contains("the video stops for 36000 s after 0 s")
        }
    }
}
