import Foundation
import HTTPTypes
import HerdCore
import HerdFederation
import HerdProcessing
import Hummingbird
import NIOCore
import NIOPosix
import _NIOFileSystem

#if canImport(Glibc)
    import Glibc
#endif
// Glibc's `struct stat` is also reachable through Dispatch's C module, and which one the compiler picks varies
// between builds; importing both keeps `stat` resolvable under MemberImportVisibility.
#if canImport(CDispatch)
    import CDispatch
#endif

/// Serves stored media under `/static/`, `/lazy-static/` and `/download/` with `Range` (206/416),
/// `HEAD`, `ETag`/`Last-Modified` validators and correct content types. Paths are checked so that
/// nothing outside the storage folder can be reached: no `..` (plain or percent-encoded), no
/// symlink leading out.
final class StaticFiles: Sendable {
    struct Mount: Sendable {
        var prefix: String
        var directory: String
        var download: Bool
        /// Media files (web seeds, HLS): their bytes count against `p2p.max_upload_rate`.
        var media = false
        /// Maps the file name part of the URL to a path below `directory`; nil refuses it.
        var resolve: @Sendable (_ components: [String]) -> [String]? = { $0 }
        /// Who may fetch what the mount serves.
        var access: Access = .everyone
        /// When set, a file's content type comes from here (mirror copies: their manifests), not from its name,
        /// and a file it has none for is not served.
        var contentType: (@Sendable (_ directory: String, _ relative: [String]) -> String?)? = nil
        /// A remote video's thumbnails or previews, fetched from its origin when first asked for.
        var remoteImages: MediaKind? = nil
    }

    let access: VideoFilesAccess
    let remoteImages: RemoteImages
    /// Asked where files of kinds kept in object storage are (issue 18).
    let media: any MediaStore
    /// The same store when it is object storage: files served through Herd come from the bucket in one GET each.
    let objects: (any ObjectReads)?
    /// The media kind each media folder holds.
    let kinds: [String: MediaKind]
    /// Asked whether a BitTorrent client already gets a file from the seeder.
    let peers: any PeerDelivery
    /// `p2p.max_upload_rate`, shared with the seeder.
    let uploadThrottle: UploadThrottle
    /// Static files by `sendfile`, when the HTTP server's connections carry `SendfileHandler` (the real server; the
    /// router tests have no connections, so they get the bytes).
    let zeroCopy: ZeroCopyFiles?
    let mounts: [Mount]

    init(
        layout: StorageLayout, webDirectory: String?, access: VideoFilesAccess, remoteImages: RemoteImages,
        media: any MediaStore, peers: any PeerDelivery, uploadThrottle: UploadThrottle, zeroCopy: ZeroCopyFiles?
    ) {
        self.access = access
        self.remoteImages = remoteImages
        self.media = media
        objects = media as? any ObjectReads
        kinds = [
            layout.webVideos: .webVideos, layout.privateWebVideos: .privateWebVideos,
            layout.streamingPlaylists: .hls, layout.privateStreamingPlaylists: .privateHLS,
        ]
        self.peers = peers
        self.uploadThrottle = uploadThrottle
        self.zeroCopy = zeroCopy
        // `<uuid>-<res>.mp4` (and `-fragmented.mp4`, `.torrent`) names its video by its first 36 characters.
        let byPrefix: @Sendable ([String]) -> UUID? = { components in
            components.last.flatMap { UUID(uuidString: String($0.prefix(36))) }
        }
        let byFolder: @Sendable ([String]) -> UUID? = { components in components.first.flatMap(UUID.init) }
        // One file name, or a video's folder and one file name in it (the private folders are mounts of their own).
        let file: @Sendable ([String]) -> [String]? = { $0.count == 1 ? $0 : nil }
        let fileInFolder: @Sendable ([String]) -> [String]? = { components in
            components.count == 2 && UUID(uuidString: components[0]) != nil ? components : nil
        }
        // <uuid>-<res>-fragmented.mp4 lives in hls/<uuid>/.
        let fragmented: @Sendable ([String]) -> [String]? = { components in
            guard components.count == 1, components[0].count > 36 else { return nil }
            return [String(components[0].prefix(36)), components[0]]
        }
        mounts =
            [
                Mount(
                    prefix: "/static/web-videos/", directory: layout.webVideos, download: false, media: true,
                    resolve: file),
                Mount(
                    prefix: "/static/web-videos/private/", directory: layout.privateWebVideos, download: false,
                    media: true, resolve: file, access: .privateVideo(video: byPrefix)),
                Mount(
                    prefix: "/static/streaming-playlists/hls/", directory: layout.streamingPlaylists, download: false,
                    media: true, resolve: fileInFolder),
                Mount(
                    prefix: "/static/streaming-playlists/hls/private/", directory: layout.privateStreamingPlaylists,
                    download: false, media: true, resolve: fileInFolder, access: .privateVideo(video: byFolder)),
                // Copies of other instances' videos (issue 6), verified before they appear here; whatever names another
                // server gave the files, each is served as the role it was checked in, or not at all (issue 14).
                Mount(
                    prefix: "/static/redundancy/hls/", directory: layout.redundancyHLS, download: false, media: true,
                    resolve: fileInFolder,
                    contentType: { [copies = CopyContentTypes()] directory, relative in
                        copies.contentType(copy: directory + "/" + relative[0], file: relative[1])
                    }),
                Mount(
                    prefix: "/lazy-static/thumbnails/", directory: layout.thumbnails, download: false,
                    remoteImages: .thumbnails),
                Mount(
                    prefix: "/lazy-static/previews/", directory: layout.previews, download: false,
                    remoteImages: .previews),
                Mount(
                    prefix: "/lazy-static/torrents/", directory: layout.torrents, download: false,
                    access: .torrent(video: byPrefix)),
                Mount(
                    prefix: "/download/web-videos/", directory: layout.webVideos, download: true, media: true,
                    resolve: file, access: .download(video: byPrefix, privateDirectory: layout.privateWebVideos)),
                Mount(
                    prefix: "/download/torrents/", directory: layout.torrents, download: true, resolve: file,
                    access: .torrent(video: byPrefix)),
                Mount(
                    prefix: "/download/streaming-playlists/hls/videos/", directory: layout.streamingPlaylists,
                    download: true, media: true, resolve: fragmented,
                    access: .download(video: byPrefix, privateDirectory: layout.privateStreamingPlaylists)),
            ] + (webDirectory.map { [Mount(prefix: "/client/", directory: $0, download: false)] } ?? [])
    }

    func addRoutes(to router: Router<HerdRequestContext>) {
        for mount in mounts {
            let pattern = RouterPath(stringLiteral: mount.prefix + "**")
            router.get(pattern) { request, context in try await self.serve(request, context: context, mount: mount) }
            router.head(pattern) { request, context in try await self.serve(request, context: context, mount: mount) }
        }
    }

    /// Splits and decodes the path below a mount, refusing traversal and odd names.
    static func safeComponents(_ rawPath: Substring) -> [String]? {
        var components: [String] = []
        for raw in rawPath.split(separator: "/", omittingEmptySubsequences: false) {
            guard let decoded = String(raw).removingPercentEncoding, !decoded.isEmpty, decoded != ".", decoded != "..",
                !decoded.contains("/"), !decoded.contains("\\"), !decoded.contains("\0"), !decoded.hasPrefix(".")
            else { return nil }
            components.append(decoded)
        }
        return components.isEmpty ? nil : components
    }

    func serve(_ request: Request, context: HerdRequestContext, mount: Mount) async throws -> Response {
        let path = request.uri.path
        guard path.hasPrefix(mount.prefix), let components = Self.safeComponents(path.dropFirst(mount.prefix.count)),
            let relative = mount.resolve(components)
        else { throw HerdError.notFound("File not found") }
        let (directory, fileToken) = try await authorize(mount, components, request, context: context)
        let key = relative.joined(separator: "/")
        if let kind = kinds[directory], media.localPath(kind, key) == nil {
            return try await withTaskExecutorPreference(EventLoopTaskExecutor(context.eventLoop)) {
                try await serveStored(
                    request, mount: mount, kind: kind, key: key, fileToken: fileToken, eventLoop: context.eventLoop)
            }
        }
        let candidate = directory + "/" + key
        var found = Self.regularFile(at: candidate, inside: directory)
        if found == nil, relative.count == 1, let kind = mount.remoteImages,
            await remoteImages.fetch(relative[0], kind: kind)
        {
            found = Self.regularFile(at: candidate, inside: directory)
        }
        guard let file = found else { throw HerdError.notFound("File not found") }
        let contentType: String
        if let lookup = mount.contentType {
            guard let type = lookup(directory, relative) else { throw HerdError.notFound("File not found") }
            contentType = type
        } else {
            contentType = Self.contentType(for: relative.last!)
        }
        var headers: HTTPFields = [
            .acceptRanges: "bytes",
            .contentType: contentType,
            .eTag: file.etag,
            .lastModified: file.lastModified,
            .accessControlAllowOrigin: "*",
            // Files of private videos are for one viewer: no shared cache keeps them.
            .cacheControl: mount.access.isPublic ? "public, max-age=3600" : "private, max-age=3600",
        ]
        if let fileToken, Self.reinjectsToken(request, name: relative.last!) {
            guard file.size <= 1 << 20 else { throw HerdError.internalError("playlist \(file.path) is over 1 MiB") }
            let bytes = try await Self.readRange(path: file.path, range: 0...max(0, file.size - 1))
            return Self.playlist(String(buffer: bytes), token: fileToken, headers: headers)
        }
        if mount.download { headers[.contentDisposition] = Self.attachment(relative.last!) }
        if Self.notModified(request, etag: file.etag, lastModified: file.lastModified) {
            return Response(status: .notModified, headers: headers)
        }
        // A BitTorrent client that already has the seeder (and its swarm) for this file is sent back there: the web
        // seed stays the fallback for clients that cannot reach the seeder (BEP 19: 503 with Retry-After).
        let (filePath, address) = (file.path, context.remoteIP)
        let pacing = throttle(mount, request) { [peers] in !peers.seederServes(path: filePath, to: address) }
        if case .spare(_, let stillWanted) = pacing, !stillWanted() {
            throw ProblemWithHeaders(
                error: HerdError(.unavailable, "this file is being seeded to you over BitTorrent"),
                headers: [HTTPField.Name("Retry-After")!: "30"])
        }
        return try await Self.ranged(
            request, headers: headers, size: file.size, validators: [file.etag, file.lastModified]
        ) { range in try await body(path: file.path, range: range, pacing) }
    }

    /// One range of a file (RFC 9110 §14): 200 with all of it, 206 with the range asked for (unless `If-Range`
    /// names another version), or 416; `HEAD` without the bytes.
    static func ranged(
        _ request: Request, headers: HTTPFields, size: Int64, validators: [String?],
        body: (ClosedRange<Int64>) async throws -> ResponseBody
    ) async throws -> Response {
        var headers = headers
        var range = ByteRange(header: request.headers[.range], size: size)
        if let ifRange = request.headers[.ifRange], !validators.contains(ifRange) {
            range = .whole
        }
        switch range {
        case .unsatisfiable:
            throw ProblemWithHeaders(
                error: HerdError(.rangeNotSatisfiable, "the requested range is outside the file"),
                headers: [.contentRange: "bytes */\(size)"]
            )
        case .whole:
            headers[.contentLength] = String(size)
            if request.method == .head || size == 0 { return Response(status: .ok, headers: headers) }
            return Response(status: .ok, headers: headers, body: try await body(0...(size - 1)))
        case .partial(let bytes):
            headers[.contentRange] = "bytes \(bytes.lowerBound)-\(bytes.upperBound)/\(size)"
            headers[.contentLength] = String(bytes.count)
            if request.method == .head { return Response(status: .partialContent, headers: headers) }
            return Response(status: .partialContent, headers: headers, body: try await body(bytes))
        }
    }

    /// The bytes of `range`: by `sendfile` when nothing paces them (`ZeroCopyFiles`), else read here.
    func body(path: String, range: ClosedRange<Int64>, _ pacing: Pacing?) async throws -> ResponseBody {
        if pacing == nil, let zeroCopy {
            let marker = zeroCopy.marker(path: path, range: range)
            return ResponseBody(contentLength: Int(range.count)) { writer in
                try await writer.write(marker)
                try await writer.finish(nil)
            }
        }
        return try await Self.body(path: path, range: range, throttle: pacing)
    }

    /// The bytes of `range`, read off the event loops. Up to `wholeReadLimit` bytes (an HLS segment, a
    /// player's range request) are read in one trip to the I/O thread pool: open, pread, close. Larger
    /// ranges stream in chunks through NIOFileSystem.
    /// With a throttle, each read waits until the upload budget allows its bytes.
    static func body(path: String, range: ClosedRange<Int64>, throttle: Pacing? = nil) async throws
        -> ResponseBody
    {
        if range.count <= wholeReadLimit {
            try await pace(Int(range.count), throttle)
            return ResponseBody(byteBuffer: try await readRange(path: path, range: range))
        }
        return ResponseBody(contentLength: Int(range.count)) { writer in
            try await FileSystem.shared.withFileHandle(forReadingAt: FilePath(path)) { handle in
                for try await chunk in handle.readChunks(in: range, chunkLength: .bytes(Self.chunkLength)) {
                    try await pace(chunk.readableBytes, throttle)
                    try await writer.write(chunk)
                }
            }
            try await writer.finish(nil)
        }
    }

    static let chunkLength: Int64 = 512 * 1024
    static let wholeReadLimit = 2 * 1024 * 1024

    static func readRange(path: String, range: ClosedRange<Int64>) async throws -> ByteBuffer {
        try await NIOThreadPool.singleton.runIfActive {
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw HerdError.notFound("File not found") }
            defer { close(descriptor) }
            let length = Int(range.count)
            var buffer = ByteBufferAllocator().buffer(capacity: length)
            var offset = range.lowerBound
            while buffer.readableBytes < length {
                let wanted = length - buffer.readableBytes
                let read = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 0) { pointer in
                    pread(descriptor, pointer.baseAddress, min(pointer.count, wanted), off_t(offset))
                }
                guard read > 0 else { throw HerdError.internalError("short read of \(path)") }
                offset += Int64(read)
            }
            return buffer
        }
    }

    struct FileInfo {
        var path: String
        var size: Int64
        var modified: Int
        var etag: String { "\"\(String(size, radix: 16))-\(String(modified, radix: 16))\"" }
        var lastModified: String { HTTPDate.format(modified) }
    }

    /// The real path of a regular file, if it lies inside `root` once symlinks are resolved.
    static func regularFile(at path: String, inside root: String) -> FileInfo? {
        guard let real = realPath(path), let realRoot = realPath(root), real.hasPrefix(realRoot + "/") else {
            return nil
        }
        var info = stat()
        guard lstat(real, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return FileInfo(path: real, size: Int64(info.st_size), modified: Int(info.st_mtim.tv_sec))
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func notModified(_ request: Request, etag: String?, lastModified: String?) -> Bool {
        if let tags = request.headers[.ifNoneMatch] {
            return tags.split(separator: ",").contains {
                let tag = $0.trimmingCharacters(in: .whitespaces)
                return tag == "*" || (etag != nil && tag == etag)
            }
        }
        if let since = request.headers[.ifModifiedSince], let lastModified { return since == lastModified }
        return false
    }

    static func attachment(_ name: String) -> String {
        "attachment; filename=\"\(name.replacingOccurrences(of: "\"", with: ""))\""
    }

    static func contentType(for name: String) -> String {
        let ext = name.split(separator: ".").last.map { $0.lowercased() } ?? ""
        switch ext {
        case "mp4", "m4v": return "video/mp4"
        case "m4a": return "audio/mp4"
        case "webm": return "video/webm"
        case "ogv": return "video/ogg"
        case "mp3": return "audio/mpeg"
        case "m3u8": return "application/vnd.apple.mpegurl"
        case "m4s": return "video/iso.segment"
        case "json": return "application/json"
        case "jpg", "jpeg": return "image/jpeg"
        case "png": return "image/png"
        case "webp": return "image/webp"
        case "torrent": return "application/x-bittorrent"
        case "vtt": return "text/vtt"
        case "js", "mjs": return "text/javascript; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "html": return "text/html; charset=utf-8"
        case "svg": return "image/svg+xml"
        default: return "application/octet-stream"
        }
    }
}
