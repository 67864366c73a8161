import HerdTranscode

/// What a media file holds, read with libavformat and checked by decoding its first frames.
public struct MediaProbe: Sendable, Equatable {
    public struct Video: Sendable, Equatable {
        public var codec: String
        /// Coded size.
        public var width: Int
        public var height: Int
        /// Rotation in degrees from the display matrix, normalised to 0, 90, 180 or 270 clockwise.
        public var rotation: Int
        public var fps: Double
        public var pixelFormat: String

        /// The size a viewer sees, rotation applied.
        public var displayWidth: Int { rotation % 180 == 0 ? width : height }
        public var displayHeight: Int { rotation % 180 == 0 ? height : width }
    }

    public struct Audio: Sendable, Equatable {
        public var codec: String
        public var sampleRate: Int
        public var channels: Int
        public var layout: String
    }

    /// libavformat's name for the container (`mov,mp4,m4a,3gp,3g2,mj2`, `matroska,webm`, `ogg`, …).
    public var container: String
    /// Seconds.
    public var duration: Double
    public var bitrate: Int?
    public var video: Video?
    public var audio: Audio?

    /// The planner's view of the source.
    public var sourceInfo: SourceInfo {
        SourceInfo(
            width: video?.displayWidth ?? 0, height: video?.displayHeight ?? 0, fps: video?.fps ?? 0, bitrate: bitrate,
            hasVideo: video != nil, hasAudio: audio != nil
        )
    }
}

/// Why a file cannot be used, in words safe to show to its uploader.
public struct ProbeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    /// FFmpeg's own message, for the logs.
    public var cause: String?

    public var description: String { cause.map { "\(reason) (\($0))" } ?? reason }
}
