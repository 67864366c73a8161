/// One output of the ladder: its size, frame rate and the encoder's rate caps.
public struct Rung: Sendable, Equatable, Codable, CustomStringConvertible {
    /// PeerTube's resolution label: the smaller side (720 for 1280×720 and for 720×1280).
    public var resolution: Int
    public var width: Int
    public var height: Int
    public var fps: Int
    /// x264 `maxrate` in bits per second; `bufsize` is twice it.
    public var maxrate: Int
    public var bufsize: Int { maxrate * 2 }
    /// Frames between keyframes: 2 s, so segments line up across rungs.
    public var keyframeInterval: Int { fps * 2 }
    /// True when this rung keeps the source's resolution rather than a standard rung.
    public var isOriginal: Bool

    public init(resolution: Int, width: Int, height: Int, fps: Int, maxrate: Int, isOriginal: Bool) {
        self.resolution = resolution
        self.width = width
        self.height = height
        self.fps = fps
        self.maxrate = maxrate
        self.isOriginal = isOriginal
    }

    public var description: String { "\(resolution)p \(width)x\(height)@\(fps) maxrate \(maxrate)" }
}
