import HTTPTypes
import HerdCore
import Hummingbird
import NIOCore

/// Media kept in object storage (issue 18): public files are fetched where they are (`base_url`, a CDN, or the
/// bucket), so `/static/` redirects there; private files and downloads come through Herd after the same access
/// rules, streamed from the bucket with `Range`, or (`object_storage.proxy.proxify_private_files: false`) redirected to
/// a presigned URL of the bucket that expires in minutes.
extension StaticFiles {
    func serveStored(
        _ request: Request, mount: Mount, kind: MediaKind, key: String, fileToken: String?, eventLoop: any EventLoop
    ) async throws -> Response {
        let name = String(key.split(separator: "/").last ?? Substring(key))
        if mount.access.isPublic, !mount.download, let url = media.publicURL(kind, key) {
            return Response(
                status: .found,
                headers: [.location: url, .accessControlAllowOrigin: "*", .cacheControl: "public, max-age=3600"])
        }
        // The viewer was checked above; the bytes come from the bucket. Playlists are served here: a player resolves
        // their relative URIs against the URL it finally read, which must stay Herd's (each fragment checked too).
        if !mount.download, !name.hasSuffix(".m3u8"), let url = media.temporaryURL(kind, key) {
            return Response(
                status: .found,
                headers: [.location: url, .accessControlAllowOrigin: "*", .cacheControl: "private, no-store"])
        }
        var headers: HTTPFields = [
            .acceptRanges: "bytes",
            .contentType: Self.contentType(for: name),
            .accessControlAllowOrigin: "*",
            .cacheControl: mount.access.isPublic ? "public, max-age=3600" : "private, max-age=3600",
        ]
        if mount.download { headers[.contentDisposition] = Self.attachment(name) }
        // The seeder has no copy of these: a BitTorrent client on the web seed is never sent back to it.
        let pacing = throttle(mount, request) { true }
        // One GET that the bucket answers as it would the viewer; requests with validators to compare, and playlists
        // that get the file token, take a HEAD first.
        if let objects, objects.holds(kind), request.method == .get, request.headers[.ifRange] == nil,
            request.headers[.ifNoneMatch] == nil, request.headers[.ifModifiedSince] == nil,
            fileToken == nil || !Self.reinjectsToken(request, name: name)
        {
            let read = try await objects.read(kind, key, range: ByteRange.Spec(header: request.headers[.range]).header)
            switch read {
            case .missing:
                throw HerdError.notFound("File not found")
            case .unsatisfiable:
                break  // the HEAD below finds the size the 416 must name
            case .bytes(let size, let etag, let lastModified, let range, let body):
                headers[.eTag] = etag
                headers[.lastModified] = lastModified
                let status: HTTPResponse.Status
                if let range {
                    headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(size)"
                    headers[.contentLength] = String(range.count)
                    status = .partialContent
                } else {
                    headers[.contentLength] = String(size)
                    status = .ok
                }
                return Response(status: status, headers: headers, body: Self.relay(body, pacing, on: eventLoop))
            }
        }
        guard let info = try await media.info(kind, key) else { throw HerdError.notFound("File not found") }
        headers[.eTag] = info.etag
        headers[.lastModified] = info.lastModified
        if let fileToken, Self.reinjectsToken(request, name: name) {
            guard info.size <= 1 << 20, let bytes = try await media.read(kind, key, maxBytes: 1 << 20) else {
                throw HerdError.internalError("playlist \(key) is over 1 MiB")
            }
            return Self.playlist(String(decoding: bytes, as: UTF8.self), token: fileToken, headers: headers)
        }
        if Self.notModified(request, etag: info.etag, lastModified: info.lastModified) {
            return Response(status: .notModified, headers: headers)
        }
        return try await Self.ranged(
            request, headers: headers, size: info.size, validators: [info.etag, info.lastModified]
        ) { [media] range in
            let chunks = try await media.stream(kind, key, range: range)
            return ResponseBody(contentLength: Int(range.count)) { writer in
                for try await chunk in chunks {
                    try await Self.pace(chunk.count, pacing)
                    try await writer.write(ByteBuffer(bytes: chunk))
                }
                try await writer.finish(nil)
            }
        }
    }

    /// The bucket's bytes to the viewer as they come, in the buffers they came in, on the viewer's loop.
    static func relay(_ body: AsyncThrowingStream<ByteBuffer, any Error>, _ pacing: Pacing?, on loop: any EventLoop)
        -> ResponseBody
    {
        ResponseBody { writer in
            try await withTaskExecutorPreference(EventLoopTaskExecutor(loop)) {
                for try await buffer in body {
                    try await pace(buffer.readableBytes, pacing)
                    try await writer.write(buffer)
                }
            }
            try await writer.finish(nil)
        }
    }
}
