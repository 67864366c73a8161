import Foundation

/// Plans the ladder of outputs for a source, following PeerTube's rules: the enabled standard rungs up to
/// the source's resolution (never upscaling), plus the source's own resolution made even, frame rates
/// capped and reduced for small rungs, and bitrate caps from resolution × frame rate.
public struct LadderPlanner: Sendable, Equatable, Codable {
    /// PeerTube's standard resolutions.
    public static let standardResolutions = [144, 240, 360, 480, 720, 1080, 1440, 2160]
    public static let defaultEnabled: Set<Int> = [240, 360, 480, 720, 1080]

    public var enabled: Set<Int>
    public var fpsMax: Int
    public var keepOriginalResolution: Bool

    public init(enabled: Set<Int> = LadderPlanner.defaultEnabled, fpsMax: Int = 60, keepOriginalResolution: Bool = true)
    {
        self.enabled = enabled
        self.fpsMax = fpsMax
        self.keepOriginalResolution = keepOriginalResolution
    }

    public enum PlanError: Error, Equatable, CustomStringConvertible {
        case noVideoOrAudio
        case frameRateTooLow(Double)
        case sizeInvalid(width: Int, height: Int)

        public var description: String {
            switch self {
            case .noVideoOrAudio: "the file has neither a video nor an audio stream"
            case .frameRateTooLow(let fps): "the frame rate \(fps) is too low"
            case .sizeInvalid(let width, let height): "the picture size \(width)×\(height) is not usable"
            }
        }
    }

    /// Audio-only sources become a still image at 480p, 25 fps, as in PeerTube.
    public static let audioOnlyResolution = 480
    public static let audioOnlyFPS = 25

    public func plan(_ source: SourceInfo) throws(PlanError) -> [Rung] {
        guard source.hasVideo else {
            guard source.hasAudio else { throw .noVideoOrAudio }
            let resolution = Self.audioOnlyResolution
            let width = Self.even(Double(resolution) * 16 / 9)
            return [
                Rung(
                    resolution: resolution, width: width, height: resolution, fps: Self.audioOnlyFPS,
                    maxrate: Self.averageBitrate(resolution: resolution, ratio: 16.0 / 9.0, fps: Self.audioOnlyFPS),
                    isOriginal: false
                )
            ]
        }
        guard source.width >= 2, source.height >= 2 else {
            throw .sizeInvalid(width: source.width, height: source.height)
        }
        guard source.fps >= 0.1 else { throw .frameRateTooLow(source.fps) }
        let original = source.resolution - source.resolution % 2
        var resolutions = enabled.filter { $0 <= source.resolution }
        if keepOriginalResolution && !Self.standardResolutions.contains(original) || resolutions.isEmpty {
            resolutions.insert(original)
        }
        return resolutions.sorted(by: >).map { resolution in
            let isOriginal = resolution == original
            let fps = outputFPS(source.fps, resolution: resolution, isOriginal: isOriginal)
            let (width, height) = size(for: resolution, source: source)
            let average = Self.averageBitrate(resolution: resolution, ratio: source.ratio, fps: fps)
            let minimum = Self.theoreticalBitrate(
                resolution: resolution, ratio: source.ratio, fps: fps, bitsPerPixel: 0.02)
            let maxrate = source.bitrate.map { max(minimum, min(average, Int(Double($0) * 1.3))) } ?? average
            return Rung(
                resolution: resolution, width: width, height: height, fps: fps, maxrate: maxrate, isOriginal: isOriginal
            )
        }
    }

    /// The output size: the smaller side is `resolution`, the other keeps the aspect ratio, both even.
    func size(for resolution: Int, source: SourceInfo) -> (Int, Int) {
        let long = Self.even(Double(resolution) * source.ratio)
        return source.isPortrait ? (resolution, long) : (long, resolution)
    }

    /// PeerTube's `computeOutputFPS`.
    public func outputFPS(_ input: Double, resolution: Int, isOriginal: Bool) -> Int {
        var fps = input
        if resolution < 720 && !isOriginal && fps > 30 {
            // The largest of 24, 25, 30 that divides the input rate, otherwise the closest.
            let standard: [Double] = [30, 25, 24]
            if let divisor = standard.first(where: { (fps / $0).rounded() == fps / $0 }) {
                fps = divisor
            } else {
                fps = standard.min { abs($0 - fps) < abs($1 - fps) }!
            }
        }
        if fps > Double(fpsMax) {
            let candidates = [Double(fpsMax), 60, 50].filter { $0 <= Double(fpsMax) }
            fps = candidates.first { (fps / $0).rounded() == fps / $0 } ?? Double(fpsMax)
        }
        return max(1, Int(fps.rounded()))
    }

    /// Bits per pixel PeerTube's average bitrate uses, per resolution.
    static func averageBitsPerPixel(_ resolution: Int) -> Double {
        switch resolution {
        case ..<200: 0.19
        case ..<300: 0.17
        case ..<420: 0.15
        case ..<600: 0.12
        case ..<900: 0.11
        case ..<1260: 0.10
        case ..<1800: 0.09
        default: 0.08
        }
    }

    /// `floor(resolution × resolution·ratio × fps × bpp)`: 6,220,800 b/s for 1080p30 at 16:9.
    public static func averageBitrate(resolution: Int, ratio: Double, fps: Int) -> Int {
        theoreticalBitrate(
            resolution: resolution, ratio: ratio, fps: fps, bitsPerPixel: averageBitsPerPixel(resolution))
    }

    static func theoreticalBitrate(resolution: Int, ratio: Double, fps: Int, bitsPerPixel: Double) -> Int {
        Int((Double(resolution) * Double(resolution) * ratio * Double(fps) * bitsPerPixel).rounded(.down))
    }

    /// The nearest even number, as FFmpeg's `scale=-2` picks it (853.3 → 854).
    static func even(_ value: Double) -> Int {
        max(2, Int((value / 2).rounded()) * 2)
    }
}
