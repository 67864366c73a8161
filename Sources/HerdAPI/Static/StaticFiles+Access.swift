import Foundation
import HTTPTypes
import HerdCore
import HerdProcessing
import Hummingbird
import NIOCore

/// Who may fetch what each mount serves (issue 14): public folders to anyone, the private folders after
/// `VideoFilesAccess`, downloads by their video's rules, torrents only of public files; private playlists carry a file
/// token on to what they name.
extension StaticFiles {
    /// Every media URL passes its video's privacy rule (issue 14).
    enum Access: Sendable {
        /// Public files: they are in the public folders only while their video is public or unlisted.
        case everyone
        /// The private folders: only what `VideoFilesAccess` allows. `video` names the video from the path.
        case privateVideo(video: @Sendable ([String]) -> UUID?)
        /// `/download/…`: the video must be visible to the requester and allow downloads; its files come from the
        /// folder its privacy puts them in (`privateDirectory` for private ones).
        case download(video: @Sendable ([String]) -> UUID?, privateDirectory: String)
        /// Torrents: only those of videos whose files are public (the others are neither tracked nor seeded).
        case torrent(video: @Sendable ([String]) -> UUID?)
    }

    /// The folder to serve from once the request passed the mount's access rule, and the file token that opened it
    /// (playlists then carry it on).
    func authorize(_ mount: Mount, _ components: [String], _ request: Request, context: HerdRequestContext)
        async throws -> (directory: String, fileToken: String?)
    {
        switch mount.access {
        case .everyone:
            return (mount.directory, nil)
        case .privateVideo(let video):
            guard let uuid = video(components) else { throw HerdError.notFound("File not found") }
            let token = Self.fileToken(request)
            _ = try await access.authorizeFiles(
                of: uuid, token: token, viewer: context.viewer, password: context.videoPassword)
            return (mount.directory, token)
        case .download(let video, let privateDirectory):
            guard let uuid = video(components) else { throw HerdError.notFound("File not found") }
            let privateFiles = try await access.authorizeDownload(
                of: uuid, token: Self.fileToken(request), viewer: context.viewer, password: context.videoPassword)
            return (privateFiles ? privateDirectory : mount.directory, nil)
        case .torrent(let video):
            // A remote video's kept torrents (`remote/<uuid>/…`) belong to public videos of other instances.
            if components.first != "remote", let uuid = video(components), try await !access.torrentsArePublic(of: uuid)
            {
                throw HerdError.notFound("File not found")
            }
            return (mount.directory, nil)
        }
    }

    /// `?videoFileToken=`, from `POST /api/v1/videos/{id}/token`.
    static func fileToken(_ request: Request) -> String? {
        request.uri.queryParameters[Substring(PlaylistTokens.parameter)].map(String.init)
    }

    /// Whether a playlist was asked for with `reinjectVideoFileToken`.
    static func reinjectsToken(_ request: Request, name: String) -> Bool {
        name.hasSuffix(".m3u8") && request.uri.queryParameters["reinjectVideoFileToken"] == "true"
    }

    /// A private playlist asked for with `reinjectVideoFileToken`: its URIs carry the file token on.
    static func playlist(_ playlist: String, token: String, headers: HTTPFields) -> Response {
        let text = PlaylistTokens.inject(playlist, token: token)
        var headers = headers
        headers[.eTag] = nil
        headers[.acceptRanges] = nil
        headers[.cacheControl] = "private, no-store"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

extension StaticFiles.Access {
    var isPublic: Bool {
        if case .everyone = self { return true }
        return false
    }
}
