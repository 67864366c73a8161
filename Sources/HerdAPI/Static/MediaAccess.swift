import Foundation
import HerdCore
import HerdProcessing
import Hummingbird

/// Who may fetch the files of a private, internal or password-protected video (PeerTube's private static files):
/// whoever may see the video (a bearer token of its owner, of staff, or for an internal video of any user; or one
/// of a password-protected video's passwords in `x-peertube-video-password`), or anyone with an unexpired file
/// token for it (`?videoFileToken=`, from `POST /api/v1/videos/{id}/token`).
struct MediaAccess: Sendable {
    static let tokenParameter = "videoFileToken"
    let access: VideoFilesAccess

    /// The video, when the request may fetch its files; 404 for an unknown video, 401 or 403 otherwise.
    func authorize(_ uuid: UUID, _ request: Request, context: HerdRequestContext) async throws -> VideoWithOwner {
        try await access.authorizeFiles(
            of: uuid, token: request.uri.queryParameters[Substring(Self.tokenParameter)].map(String.init),
            viewer: context.viewer, password: context.videoPassword)
    }
}

/// PeerTube's `reinjectVideoFileToken`: the playlists of a private video, asked for with a file token, name their
/// media playlists, init section and segments with the same token, so any HLS player follows them (RFC 8216
/// §4.3.2.5 `EXT-X-MAP:URI`, §4.3.4.2 the URI line after `EXT-X-STREAM-INF`, §4.3.2 segment URI lines).
enum PlaylistTokens {
    static func inject(_ playlist: String, token: String) -> String {
        let query = MediaAccess.tokenParameter + "=" + token
        func tokenized(_ uri: Substring, reinject: Bool) -> String {
            let separator = uri.contains("?") ? "&" : "?"
            return uri + separator + query + (reinject ? "&reinjectVideoFileToken=true" : "")
        }
        let lines = playlist.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let text = line.hasSuffix("\r") ? line.dropLast() : line
            if text.isEmpty { return String(line) }
            if !text.hasPrefix("#") { return tokenized(text, reinject: text.hasSuffix(".m3u8")) }
            guard let start = text.range(of: "URI=\""), let end = text[start.upperBound...].firstIndex(of: "\"") else {
                return String(line)
            }
            let uri = text[start.upperBound..<end]
            return text[..<start.upperBound] + tokenized(uri, reinject: uri.hasSuffix(".m3u8")) + text[end...]
        }
        return lines.joined(separator: "\n")
    }
}
