/// Where a kind of media lives: a folder of the storage directory here (PeerTube's layout), a bucket or prefix in
/// object storage later.
public enum MediaKind: String, Sendable, Hashable, CaseIterable {
    /// Uploaded originals: `<uuid><ext>`.
    case originals
    /// Web MP4s: `<uuid>-<resolution>.mp4`, public or private (`VideoPrivacy.filesArePrivate`).
    case webVideos, privateWebVideos
    /// HLS folders: `<uuid>/` with the playlists, fragmented MP4s and `segments-sha256.json`.
    case hls, privateHLS
    /// `<uuid>.jpg`.
    case thumbnails, previews
    /// Local videos' torrents (`<uuid>-<resolution>-hls.torrent`) and remote videos' kept ones (`remote/<uuid>/`).
    case torrents
    /// This instance's verified copies of remote videos (issue 6): `<uuid>/`.
    case copies

    /// The web MP4s' or HLS kind for a privacy's files.
    public static func webVideos(privateFiles: Bool) -> MediaKind { privateFiles ? .privateWebVideos : .webVideos }
    public static func hls(privateFiles: Bool) -> MediaKind { privateFiles ? .privateHLS : .hls }
}

/// One file or folder of a `MediaStore`.
public struct MediaObject: Sendable, Hashable {
    public var kind: MediaKind
    public var key: String

    public init(_ kind: MediaKind, _ key: String) {
        self.kind = kind
        self.key = key
    }
}

/// Media files by kind and key (a file name, or a folder of files): what the processors read and write, so that
/// local disk and object storage can each implement it. Work that needs files in place (FFmpeg, hashing a copy,
/// the transcoder's scratch folder) gets a local path from `localPath`.
public protocol MediaStore: Sendable {
    /// Moves a finished local file or folder (an upload, a transcoder's output, a verified copy) in at `key`,
    /// replacing what was there.
    func put(_ kind: MediaKind, _ key: String, movingFrom localPath: String) async throws
    /// Writes a small file (a torrent, a manifest) whole, atomically.
    func write(_ kind: MediaKind, _ key: String, bytes: [UInt8]) async throws
    /// A small file's bytes, at most `maxBytes`; nil when it is missing or larger.
    func read(_ kind: MediaKind, _ key: String, maxBytes: Int) async throws -> [UInt8]?
    /// Whether a file or folder is there.
    func exists(_ kind: MediaKind, _ key: String) async -> Bool
    /// Removes a file, or a folder with everything in it; nothing when it is missing.
    func delete(_ kind: MediaKind, _ key: String) async throws
    /// Removes every file or folder of `kind` whose key starts with `prefix`; returns the keys removed.
    @discardableResult
    func deleteAll(_ kind: MediaKind, prefix: String) async throws -> [String]
    /// Moves what `key` names from one kind to another (a change of privacy), replacing the target; nothing when it
    /// is missing.
    func move(_ key: String, from source: MediaKind, to target: MediaKind) async throws
    /// The keys at the top level of `kind`.
    func keys(_ kind: MediaKind) async throws -> [String]
    /// Those of them that start with `prefix` (object storage lists only these).
    func keys(_ kind: MediaKind, prefix: String) async throws -> [String]
    /// Where a local store keeps `key` (for FFmpeg, hashing, serving by `sendfile`); a store without local files
    /// answers nil.
    func localPath(_ kind: MediaKind, _ key: String) -> String?

    // Files of kinds kept off this machine (object storage); a local store keeps the defaults below.
    /// Where anyone may fetch a public file directly (object storage's `base_url`, or the bucket); nil when Herd
    /// serves it.
    func publicURL(_ kind: MediaKind, _ key: String) -> String?
    /// Where a viewer Herd has checked may fetch a file that is not public, for a short time (a presigned URL);
    /// nil when Herd serves it.
    func temporaryURL(_ kind: MediaKind, _ key: String) -> String?
    /// A file without a local path: its size and validators; nil when it is missing.
    func info(_ kind: MediaKind, _ key: String) async throws -> MediaObjectInfo?
    /// The bytes of `range` of a file without a local path, in chunks as they arrive.
    func stream(_ kind: MediaKind, _ key: String, range: ClosedRange<Int64>) async throws
        -> AsyncThrowingStream<[UInt8], any Error>
}

/// What a store without local files (object storage) says of one: enough to answer `HEAD`, validators and `Range`.
public struct MediaObjectInfo: Sendable, Equatable {
    public var size: Int64
    /// The store's entity tag, quoted as HTTP carries it.
    public var etag: String?
    /// An HTTP date.
    public var lastModified: String?

    public init(size: Int64, etag: String?, lastModified: String?) {
        self.size = size
        self.etag = etag
        self.lastModified = lastModified
    }
}

/// A store whose files are all local (issue 18: object storage keeps some kinds elsewhere).
extension MediaStore {
    public func keys(_ kind: MediaKind, prefix: String) async throws -> [String] {
        try await keys(kind).filter { $0.hasPrefix(prefix) }
    }
    public func publicURL(_ kind: MediaKind, _ key: String) -> String? { nil }
    public func temporaryURL(_ kind: MediaKind, _ key: String) -> String? { nil }
    public func info(_ kind: MediaKind, _ key: String) async throws -> MediaObjectInfo? { nil }
    public func stream(_ kind: MediaKind, _ key: String, range: ClosedRange<Int64>) async throws
        -> AsyncThrowingStream<[UInt8], any Error>
    {
        throw HerdError.internalError("\(kind) \(key) is a local file")
    }
}
