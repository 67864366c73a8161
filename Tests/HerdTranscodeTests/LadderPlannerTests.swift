import HerdTranscode
import Testing

@Suite("Ladder planning")
struct LadderPlannerTests {
    let planner = LadderPlanner()

    static func source(_ width: Int, _ height: Int, fps: Double = 30, bitrate: Int? = nil, audio: Bool = true)
        -> SourceInfo
    {
        SourceInfo(width: width, height: height, fps: fps, bitrate: bitrate, hasVideo: true, hasAudio: audio)
    }

    @Test("1080p30 gets the five default rungs with PeerTube's maxrates")
    func fullHD() throws {
        let rungs = try planner.plan(Self.source(1920, 1080))
        #expect(rungs.map(\.resolution) == [1080, 720, 480, 360, 240])
        #expect(rungs.map(\.maxrate) == [6_220_800, 3_041_280, 1_474_560, 1_036_800, 522_240])
        #expect(rungs.map(\.width) == [1920, 1280, 854, 640, 426])
        #expect(rungs.allSatisfy { $0.fps == 30 && $0.keyframeInterval == 60 && $0.bufsize == 2 * $0.maxrate })
        #expect(rungs.first?.isOriginal == true)
    }

    @Test("never upscale; the source's own resolution is kept, made even")
    func oddSize() throws {
        let rungs = try planner.plan(Self.source(1278, 718))
        #expect(rungs.map(\.resolution) == [718, 480, 360, 240])
        #expect(rungs[0].height == 718)
        #expect(rungs[0].width % 2 == 0 && rungs[0].height % 2 == 0)
        #expect(rungs[0].isOriginal)
        let tiny = try planner.plan(Self.source(200, 112))
        #expect(tiny.map(\.resolution) == [112])
    }

    @Test("portrait video keeps the short side as the resolution")
    func portrait() throws {
        let rungs = try planner.plan(Self.source(1080, 1920))
        #expect(rungs.map(\.resolution) == [1080, 720, 480, 360, 240])
        #expect(rungs[1].width == 720 && rungs[1].height == 1280)
    }

    @Test("4:3 sources keep their shape")
    func fourByThree() throws {
        let rungs = try planner.plan(Self.source(640, 480))
        #expect(rungs.map(\.resolution) == [480, 360, 240])
        #expect(rungs.map(\.width) == [640, 480, 320])
    }

    @Test("frame rates: 60 fps kept at 720p and up, 30 below; capped at fps.max")
    func frameRates() throws {
        let rungs = try planner.plan(Self.source(1280, 720, fps: 60))
        #expect(rungs.map(\.fps) == [60, 30, 30, 30])
        #expect(rungs[0].keyframeInterval == 120)
        #expect(planner.outputFPS(50, resolution: 480, isOriginal: false) == 25)
        #expect(planner.outputFPS(48, resolution: 360, isOriginal: false) == 24)
        #expect(planner.outputFPS(59.94, resolution: 360, isOriginal: false) == 30)
        #expect(planner.outputFPS(29.97, resolution: 360, isOriginal: false) == 30)
        #expect(planner.outputFPS(120, resolution: 1080, isOriginal: true) == 60)
        #expect(LadderPlanner(fpsMax: 30).outputFPS(60, resolution: 1080, isOriginal: true) == 30)
        #expect(planner.outputFPS(0.5, resolution: 1080, isOriginal: true) == 1)
        #expect(throws: LadderPlanner.PlanError.frameRateTooLow(0.05)) {
            try planner.plan(Self.source(640, 360, fps: 0.05))
        }
    }

    @Test("a low-bitrate source caps the rung's maxrate at 1.3× its own, never below the minimum")
    func bitrateCaps() throws {
        let rungs = try planner.plan(Self.source(1920, 1080, bitrate: 1_000_000))
        #expect(rungs[0].maxrate == 1_300_000)
        let starved = try planner.plan(Self.source(1920, 1080, bitrate: 1000))
        let minimum: Double = 1080.0 * 1920.0 * 30.0 * 0.02  // resolution × resolution·ratio × fps × 0.02 bpp
        #expect(starved[0].maxrate == Int(minimum))
    }

    @Test("configuration switches rungs; audio-only becomes a 480p still; nothing at all is an error")
    func configuration() throws {
        let only720 = LadderPlanner(enabled: [720, 2160], keepOriginalResolution: false)
        #expect(try only720.plan(Self.source(3840, 2160)).map(\.resolution) == [2160, 720])
        #expect(try only720.plan(Self.source(640, 360)).map(\.resolution) == [360])
        let audio = try planner.plan(
            SourceInfo(width: 0, height: 0, fps: 0, bitrate: nil, hasVideo: false, hasAudio: true))
        #expect(audio.map(\.resolution) == [480])
        #expect(audio[0].fps == 25)
        #expect(throws: LadderPlanner.PlanError.noVideoOrAudio) {
            try planner.plan(SourceInfo(width: 0, height: 0, fps: 0, bitrate: nil, hasVideo: false, hasAudio: false))
        }
    }
}
