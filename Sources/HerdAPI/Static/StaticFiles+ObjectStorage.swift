import HTTPTypes
import HerdCore
import Hummingbird
import NIOCore

/// Media kept in object storage (issue 18): public files are fetched where they are (`base_url`, a CDN, or the
/// bucket), so `/static/` redirects there; private files and downloads come through Herd after the same access
/// rules, streamed from the bucket with `Range`, or (`object_storage.proxy.proxify_private_files: false`) redirected to
/// a presigned URL of the bucket that expires in minutes.
extension StaticFiles {
    func serveStored(_ request: Request, mount: Mount, kind: MediaKind, key: String, fileToken: String?)
        async throws -> Response
    {
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
        guard let info = try await media.info(kind, key) else { throw HerdError.notFound("File not found") }
        var headers: HTTPFields = [
            .acceptRanges: "bytes",
            .contentType: Self.contentType(for: name),
            .accessControlAllowOrigin: "*",
            .cacheControl: mount.access.isPublic ? "public, max-age=3600" : "private, max-age=3600",
        ]
        headers[.eTag] = info.etag
        headers[.lastModified] = info.lastModified
        if let fileToken, Self.reinjectsToken(request, name: name) {
            guard info.size <= 1 << 20, let bytes = try await media.read(kind, key, maxBytes: 1 << 20) else {
                throw HerdError.internalError("playlist \(key) is over 1 MiB")
            }
            return Self.playlist(String(decoding: bytes, as: UTF8.self), token: fileToken, headers: headers)
        }
        if mount.download { headers[.contentDisposition] = Self.attachment(name) }
        if Self.notModified(request, etag: info.etag, lastModified: info.lastModified) {
            return Response(status: .notModified, headers: headers)
        }
        // The seeder has no copy of these: a BitTorrent client on the web seed is never sent back to it.
        let pacing = throttle(mount, request) { true }
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
}
