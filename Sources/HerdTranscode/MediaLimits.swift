/// What an instance agrees to transcode (`transcoding.limits.*`). An upload past them is refused before any
/// planning, with a reason its uploader can read; while transcoding, timestamps past the probed duration and gaps
/// between frames are bounded too, so a few hundred bytes can never become millions of frames.
public struct MediaLimits: Sendable, Equatable, Codable {
    /// The largest width or height, in pixels.
    public var maxSide: Int
    /// The highest source frame rate.
    public var maxFPS: Double
    /// The longest duration, in seconds.
    public var maxDuration: Double
    /// The longest gap between two consecutive video frames, in seconds (a still picture held that long).
    public var maxFrameGap: Double

    public init(maxSide: Int = 4096, maxFPS: Double = 120, maxDuration: Double = 43_200, maxFrameGap: Double = 30) {
        self.maxSide = maxSide
        self.maxFPS = maxFPS
        self.maxDuration = maxDuration
        self.maxFrameGap = maxFrameGap
    }

    /// Why `source` (with its probed `duration` in seconds) is refused, or nil when it is within the limits.
    public func refusal(_ source: SourceInfo, duration: Double) -> String? {
        if source.hasVideo, max(source.width, source.height) > maxSide {
            return "the video is \(source.width)×\(source.height): this instance takes at most \(maxSide) pixels a side"
        }
        if source.hasVideo, !(source.fps.isFinite && source.fps <= maxFPS) {
            return "the video has \(Self.format(source.fps)) frames a second: this instance takes at most "
                + Self.format(maxFPS)
        }
        if !(duration.isFinite && duration >= 0 && duration <= maxDuration) {
            return
                "the file lasts \(Self.format(duration)) s: this instance takes at most \(Self.format(maxDuration)) s"
        }
        return nil
    }

    /// The latest time, in seconds, a frame may have: the probed duration plus a margin for the last frames
    /// (the whole allowed duration when the container gave none).
    public func latestFrameTime(probedDuration duration: Double) -> Double {
        guard duration.isFinite, duration > 0 else { return maxDuration }
        return min(duration, maxDuration) + min(maxFrameGap, 5)
    }

    /// A number for a message: whole when it is, else with two decimals.
    public static func format(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 1e15 else { return "\(value)" }
        return value.rounded() == value ? String(Int64(value)) : "\((value * 100).rounded() / 100)"
    }
}
