import CFFmpeg

/// The FFmpeg libraries, which Herd opens at run time rather than linking (the server never maps them; only the
/// processes that transcode or probe do).
public enum MediaLibraries {
    /// Opens them (once). Nil when they are open, else why they cannot be (a missing or mismatched library).
    public static func load() -> String? {
        herd_ffmpeg_load().map { String(cString: $0) }
    }
}
