import Foundation

/// Where the outputs of one video go, with PeerTube's names.
public struct TranscodeOutput: Sendable, Codable {
    /// Folder of the HLS files: `<uuid>-<res>.m3u8`, `<uuid>-<res>-fragmented.mp4`, `<uuid>-master.m3u8`.
    public var hlsDirectory: String
    /// Folder of the web MP4 files `<uuid>-<res>.mp4`, or nil for none.
    public var webVideoDirectory: String?
    /// The prefix of every file name (the video's UUID).
    public var name: String
    /// Where to write the thumbnail (`<name>.jpg`, 280 px high at most) and the preview (480 px high), if at all.
    public var thumbnailPath: String?
    public var previewPath: String?

    public init(
        hlsDirectory: String, webVideoDirectory: String?, name: String, thumbnailPath: String? = nil,
        previewPath: String? = nil
    ) {
        self.hlsDirectory = hlsDirectory
        self.webVideoDirectory = webVideoDirectory
        self.name = name
        self.thumbnailPath = thumbnailPath
        self.previewPath = previewPath
    }

    public func playlist(_ rung: Rung) -> String { "\(name)-\(rung.resolution).m3u8" }
    public func fragmented(_ rung: Rung) -> String { "\(name)-\(rung.resolution)-fragmented.mp4" }
    public func webVideo(_ rung: Rung) -> String { "\(name)-\(rung.resolution).mp4" }
    public var masterPlaylist: String { "\(name)-master.m3u8" }
    public var segmentsSha256: String { "\(name)-segments-sha256.json" }
}

/// What one rung produced.
public struct RungResult: Sendable, Equatable, Codable {
    public var rung: Rung
    /// `avc1.PPCCLL` from the encoder's parameters.
    public var videoCodec: String
    public var fragmentedSize: Int64
    public var webVideoSize: Int64?
    public var frames: Int
    public var hasAudio: Bool

    public init(
        rung: Rung, videoCodec: String, fragmentedSize: Int64, webVideoSize: Int64?, frames: Int, hasAudio: Bool
    ) {
        self.rung = rung
        self.videoCodec = videoCodec
        self.fragmentedSize = fragmentedSize
        self.webVideoSize = webVideoSize
        self.frames = frames
        self.hasAudio = hasAudio
    }
}

/// Progress of a running transcode.
public struct TranscodeProgress: Sendable, Equatable, Codable {
    public var percent: Double
    /// Source frames decoded per second of wall time.
    public var fps: Double
    /// Seconds left, estimated.
    public var eta: Double?

    public init(percent: Double, fps: Double, eta: Double?) {
        self.percent = percent
        self.fps = fps
        self.eta = eta
    }
}

/// The whole media side of a transcoding job, as one unit a child process runs (`herd transcode-job`): probe the
/// upload, check it against the limits, plan the ladder, transcode, package. The parent (the job) only sends a
/// `MediaJob.Request` and reads `MediaJob.Event`s, so a file that crashes FFmpeg, or eats memory or CPU, ends a
/// child, never the server.
public enum MediaJob {
    public struct Request: Codable, Sendable {
        public var input: String
        public var output: TranscodeOutput
        public var planner: LadderPlanner
        public var limits: MediaLimits
        /// Encoder threads per rung; 0 lets libx264 choose.
        public var threads: Int
        /// The child's address space, in bytes (RLIMIT_AS).
        public var maxMemory: Int64
        /// CPU seconds per second of media (RLIMIT_CPU once the file is probed; 120 s for the probe itself).
        public var cpuPerMediaSecond: Int

        public init(
            input: String, output: TranscodeOutput, planner: LadderPlanner, limits: MediaLimits, threads: Int,
            maxMemory: Int64, cpuPerMediaSecond: Int
        ) {
            self.input = input
            self.output = output
            self.planner = planner
            self.limits = limits
            self.threads = threads
            self.maxMemory = maxMemory
            self.cpuPerMediaSecond = cpuPerMediaSecond
        }

        /// CPU seconds the whole job may take for a file of `duration` seconds (at least ten minutes).
        public func cpuBudget(duration: Double) -> Int {
            let seconds = duration.isFinite ? max(0, duration) : 0
            return Int(min(seconds * Double(cpuPerMediaSecond), 7 * 86_400).rounded(.up)) + 600
        }
    }

    /// One line of the child's standard output (JSON).
    public enum Event: Codable, Sendable, Equatable {
        /// The probe passed the limits: the file lasts `duration` seconds (the parent sizes the CPU budget on it).
        case probed(duration: Double)
        case progress(TranscodeProgress)
        /// Every output is in the scratch folders.
        case done(duration: Double, results: [RungResult])
        /// The file cannot be used, with a reason safe to show its uploader (probing, limits, planning or FFmpeg).
        case refused(String)
        /// Something else went wrong (a full disk, say): worth another attempt.
        case failed(String)
    }
}

/// What a transcoding attempt came to.
public enum TranscodeOutcome: Sendable {
    case done(duration: Double, results: [RungResult])
    /// The file cannot be used, with a reason safe to show its uploader.
    case refused(String)
    /// A failure not about the file (a full disk): worth another attempt.
    case failed(String)
    /// The media work died (a crash, its memory or CPU limit) or ended without an answer.
    case crashed(String)
}

/// The media work of a transcoding job as processing sees it: probe, check, plan, transcode, package and images,
/// from an original to a scratch folder. `HerdMedia` implements it with FFmpeg in a child process.
public protocol MediaEngine: Sendable {
    func transcode(_ request: MediaJob.Request, progress: @escaping @Sendable (TranscodeProgress) -> Void) async throws
        -> TranscodeOutcome
}
