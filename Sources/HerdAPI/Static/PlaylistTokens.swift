import Foundation

/// PeerTube's `reinjectVideoFileToken`: the playlists of a private video, asked for with a file token, name their
/// media playlists, init section and segments with the same token, so any HLS player follows them (RFC 8216
/// §4.3.2.5 `EXT-X-MAP:URI`, §4.3.4.2 the URI line after `EXT-X-STREAM-INF`, §4.3.2 segment URI lines).
enum PlaylistTokens {
    /// The query parameter that carries a file token (`POST /api/v1/videos/{id}/token`).
    static let parameter = "videoFileToken"

    static func inject(_ playlist: String, token: String) -> String {
        let query = Self.parameter + "=" + token
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
