/// What planning needs to know about a source, as the probe reports it.
public struct SourceInfo: Sendable, Equatable {
    /// Displayed size, rotation applied (a phone video shot upright is taller than wide).
    public var width: Int
    public var height: Int
    public var fps: Double
    /// Bits per second of the whole file, when known.
    public var bitrate: Int?
    public var hasVideo: Bool
    public var hasAudio: Bool

    public init(width: Int, height: Int, fps: Double, bitrate: Int?, hasVideo: Bool, hasAudio: Bool) {
        self.width = width
        self.height = height
        self.fps = fps
        self.bitrate = bitrate
        self.hasVideo = hasVideo
        self.hasAudio = hasAudio
    }

    /// The "resolution" in PeerTube's sense: the smaller side.
    public var resolution: Int { min(width, height) }
    public var isPortrait: Bool { height > width }
    /// Long side over short side.
    public var ratio: Double { Double(max(width, height)) / Double(max(1, min(width, height))) }
}
