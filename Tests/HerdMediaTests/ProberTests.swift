import Foundation
import HerdMedia
import HerdTestSupport
import HerdTranscode
import Testing

@Suite("Probing media with libavformat", .ownThread)
struct ProberTests {
    @Test("the shared clips: mp4, webm and ogg audio")
    func sharedClips() throws {
        let mp4 = try Prober.probe(path: Clips.vector("video_short.mp4"))
        #expect(mp4.container.contains("mp4"))
        #expect(mp4.video?.codec == "h264")
        #expect(mp4.video?.width == 1280 && mp4.video?.height == 720)
        #expect(mp4.video?.fps == 25)
        #expect(mp4.audio?.codec == "aac")
        #expect(mp4.audio?.channels == 2 && mp4.audio?.sampleRate == 44_100)
        #expect(abs(mp4.duration - 5.016) < 0.01)

        let webm = try Prober.probe(path: Clips.vector("video_short.webm"))
        #expect(webm.container.contains("webm"))
        #expect(webm.video?.codec == "vp8")
        #expect(webm.audio?.codec == "vorbis")

        let ogg = try Prober.probe(path: Clips.vector("sample.ogg"))
        #expect(ogg.video == nil)
        #expect(ogg.audio?.codec == "vorbis")
        #expect(ogg.sourceInfo.hasAudio && !ogg.sourceInfo.hasVideo)
        #expect(abs(ogg.duration - 6.104) < 0.01)
    }

    @Test("generated clips: odd size, rotated phone video, 60 fps, no audio, audio only")
    func generatedClips() throws {
        let directory = try Clips.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let odd = try Clips.generate(
            "odd.mp4", in: directory,
            ["-f", "lavfi", "-i", "testsrc2=size=1278x718:rate=30:duration=1"] + Clips.testAudio + Clips.x264 + [
                "-shortest"
            ]
        )
        let oddProbe = try Prober.probe(path: odd)
        #expect(oddProbe.video?.width == 1278 && oddProbe.video?.height == 718)
        #expect(try LadderPlanner().plan(oddProbe.sourceInfo).first?.resolution == 718)

        // A phone held upright records landscape frames plus a display matrix (written on a stream copy).
        let landscape = try Clips.generate(
            "landscape.mp4", in: directory,
            ["-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30:duration=1"] + Clips.x264
        )
        let rotated = try Clips.generate(
            "phone.mp4", in: directory, ["-i", landscape, "-c", "copy", "-metadata:s:v:0", "rotate=90"])
        let phone = try Prober.probe(path: rotated)
        #expect(phone.video?.rotation == 90 || phone.video?.rotation == 270)
        #expect(phone.video?.displayWidth == 360 && phone.video?.displayHeight == 640)
        #expect(phone.sourceInfo.isPortrait)
        #expect(phone.audio == nil)

        let sixty = try Clips.generate(
            "sixty.mp4", in: directory, ["-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=60:duration=1"] + Clips.x264
        )
        #expect(try Prober.probe(path: sixty).video?.fps == 60)

        let audioOnly = try Clips.generate("tone.m4a", in: directory, Clips.testAudio + ["-c:a", "aac"])
        let tone = try Prober.probe(path: audioOnly)
        #expect(tone.video == nil)
        #expect(tone.audio?.sampleRate == 48_000)
    }

    @Test("bad files are refused with a reason")
    func badFiles() throws {
        let directory = try Clips.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        var generator = SystemRandomNumberGenerator()
        let random = directory.appendingPathComponent("random.mp4")
        try Data((0..<100_000).map { _ in UInt8.random(in: 0...255, using: &generator) }).write(to: random)
        let empty = directory.appendingPathComponent("empty.mp4")
        try Data().write(to: empty)
        let text = directory.appendingPathComponent("notes.mp4")
        try Data(String(repeating: "just some text\n", count: 200).utf8).write(to: text)
        let source = try Data(contentsOf: URL(fileURLWithPath: Clips.vector("video_short.mp4")))
        let truncated = directory.appendingPathComponent("truncated.mp4")
        try source.prefix(2_000).write(to: truncated)
        for file in [random, empty, text, truncated, directory.appendingPathComponent("missing.mp4")] {
            #expect(throws: ProbeError.self, "\(file.lastPathComponent)") { try Prober.probe(path: file.path) }
            do {
                _ = try Prober.probe(path: file.path)
            } catch {
                #expect(!error.reason.isEmpty)
            }
        }
    }
}
