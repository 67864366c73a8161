import Foundation
import HTTPTypes
import HerdCore
import HerdProcessing
import Hummingbird

/// The browser client (issue 7): pages from `Web/` for browsers, the API for everything they do. The pages are
/// static files; their scripts read the address (`/videos/watch/{uuid}`, …) and call `/api/v1`. Assets are served
/// under `/client/` by `StaticFiles`. Watch and embed pages of public videos carry OpenGraph and Twitter-card tags
/// and an oEmbed link (`/services/oembed`), so links shared elsewhere show a card and a player.
struct WebClient: Sendable {
    let assets: WebAssets
    let catalog: VideoCatalog
    let settings: Settings

    /// The pages and the addresses that show them.
    static let routes: [(route: String, file: String)] = [
        ("/", "index.html"), ("/login", "login.html"), ("/signup", "signup.html"), ("/upload", "upload.html"),
        ("/my-videos", "my-videos.html"), ("/search", "index.html"), ("/admin", "admin.html"),
        // WebFinger's remote-interaction template: someone from another instance acts on a video here.
        ("/remote-interaction", "remote-interaction.html"),
        // PeerTube's `defaultClientRoute`, which clients open first.
        ("/videos/browse", "index.html"),
    ]

    func addRoutes(to router: Router<HerdRequestContext>) {
        for (route, file) in Self.routes {
            router.get(RouterPath(stringLiteral: route)) { _, _ in try self.page(file) }
        }
        router.get("/videos/embed/:id") { _, context in
            try await self.videoPage("embed.html", id: try context.parameters.require("id"))
        }
        router.get("/services/oembed") { request, _ in try await self.oembed(request) }
    }

    static let securityPolicy =
        "default-src 'self'; img-src 'self' https: http: data:; media-src 'self' blob: https: http:; "
        + "connect-src 'self' https: http: ws: wss:; style-src 'self'"

    /// A page of the client, never cached for long (its scripts and styles carry the version).
    public func page(_ name: String, head: String = "", embeddable: Bool = false) throws -> Response {
        guard var text = assets.pages[name] else { throw HerdError.notFound("Page not found") }
        if !head.isEmpty { text = text.replacingOccurrences(of: "</head>", with: head + "</head>") }
        return Response(
            status: .ok, headers: Self.pageHeaders(embeddable: embeddable),
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func pageHeaders(embeddable: Bool = false) -> HTTPFields {
        var headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8", .cacheControl: "no-cache",
            HTTPField.Name("Content-Security-Policy")!:
                Self.securityPolicy + (embeddable ? "" : "; frame-ancestors 'self'"),
        ]
        if !embeddable { headers[HTTPField.Name("X-Frame-Options")!] = "SAMEORIGIN" }
        return headers
    }

    /// `error.html` filled in with a problem (its status, a title, the public message), answered with its status.
    static func errorPage(_ template: String, problem: Problem, extraHeaders: HTTPFields) -> Response {
        let titles = [401: "Log in to see this", 403: "You cannot see this", 404: "Page not found"]
        let text = template.replacingOccurrences(of: "{{status}}", with: String(problem.status))
            .replacingOccurrences(of: "{{title}}", with: escape(titles[problem.status] ?? problem.title))
            .replacingOccurrences(of: "{{detail}}", with: escape(problem.detail))
        var headers = pageHeaders()
        for field in extraHeaders { headers[field.name] = field.value }
        return Response(
            status: HTTPResponse.Status(code: problem.status), headers: headers,
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The watch or embed page, with sharing tags when the video is public (or unlisted) and published; the error
    /// page when there is no such video (a video that exists but is not for everyone is the page's to explain,
    /// once it knows who is asking).
    public func videoPage(_ name: String, id: String) async throws -> Response {
        guard let reference = VideoReference(id), try await catalog.find(reference) != nil else {
            throw HerdError.notFound("There is no video at this address: it may have been deleted.")
        }
        var head = ""
        if let shared = try await catalog.shareable(reference) {
            head = Self.sharingTags(shared, baseURL: settings.baseURL, site: settings.instanceName)
        }
        return try page(name, head: head, embeddable: name == "embed.html")
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// OpenGraph (`og:video` → the embed page), Twitter `player` card, and oEmbed discovery.
    static func sharingTags(_ item: VideoWithOwner, baseURL: String, site: String) -> String {
        let video = item.video
        let uuid = video.uuid.lowercasedString
        let watch = "\(baseURL)/videos/watch/\(uuid)"
        let embed = "\(baseURL)/videos/embed/\(uuid)"
        let image = video.isLocal ? "\(baseURL)/lazy-static/previews/\(uuid).jpg" : (video.remote?.previewURL ?? "")
        let description = String((video.description ?? "").prefix(200))
        let oembed =
            "\(baseURL)/services/oembed?url="
            + (watch.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        let tags: [(String, String, String)] = [
            ("property", "og:type", "video"), ("property", "og:site_name", site), ("property", "og:title", video.name),
            ("property", "og:description", description), ("property", "og:url", watch), ("property", "og:image", image),
            ("property", "og:video:url", embed), ("property", "og:video:secure_url", embed),
            ("property", "og:video:type", "text/html"), ("property", "og:video:width", "1280"),
            ("property", "og:video:height", "720"), ("name", "twitter:card", "player"),
            ("name", "twitter:title", video.name), ("name", "twitter:description", description),
            ("name", "twitter:image", image), ("name", "twitter:player", embed),
            ("name", "twitter:player:width", "1280"), ("name", "twitter:player:height", "720"),
            ("name", "description", description),
        ]
        var head = "  <title>\(escape(video.name)) · \(escape(site))</title>\n"
        for (attribute, name, content) in tags where !content.isEmpty {
            head += "  <meta \(attribute)=\"\(name)\" content=\"\(escape(content))\">\n"
        }
        head += "  <link rel=\"alternate\" type=\"application/json+oembed\" href=\"\(escape(oembed))\" "
        head += "title=\"\(escape(video.name))\">\n  <link rel=\"canonical\" href=\"\(escape(watch))\">\n"
        return head
    }

    /// oEmbed 1.0 (`/services/oembed?url=<watch URL>&format=json`): a `video` with the embed page in an iframe.
    func oembed(_ request: Request) async throws -> Response {
        let query = QueryParameters(request.uri.query)
        guard let url = query["url"], !url.isEmpty else { throw HerdError.badRequest("url is required") }
        if let format = query["format"], format != "json" {
            throw HerdError(.unprocessable, "only the json format is offered", cause: "oEmbed format \(format)")
        }
        let base = settings.baseURL
        guard url.hasPrefix(base + "/videos/watch/") || url.hasPrefix(base + "/w/"),
            let id = url.split(separator: "/").last.map(String.init), let reference = VideoReference(id),
            let found = try await catalog.shareable(reference)
        else { throw HerdError.notFound("no public video at this URL") }
        let maxWidth = query["maxwidth"].flatMap(Int.init) ?? 560
        let width = min(max(maxWidth, 200), 1920)
        let height = width * 9 / 16
        let uuid = found.video.uuid.lowercasedString
        let embed = "\(base)/videos/embed/\(uuid)"
        let html =
            "<iframe width=\"\(width)\" height=\"\(height)\" src=\"\(Self.escape(embed))\" "
            + "title=\"\(Self.escape(found.video.name))\" frameborder=\"0\" allowfullscreen "
            + "sandbox=\"allow-same-origin allow-scripts allow-popups\"></iframe>"
        return try JSON.response(
            OEmbed(
                title: found.video.name, author_name: found.channel.displayName,
                author_url: found.channel.url
                    ?? "\(base)/c/\(found.channel.name)", provider_name: settings.instanceName,
                provider_url: base, html: html, width: width, height: height,
                thumbnail_url: found.video.isLocal
                    ? "\(base)/lazy-static/previews/\(uuid).jpg" : found.video.remote?.previewURL,
                thumbnail_width: found.video.isLocal ? 850 : nil, thumbnail_height: found.video.isLocal ? 480 : nil))
    }

    struct OEmbed: Encodable {
        var type = "video"
        var version = "1.0"
        var title: String
        var author_name: String
        var author_url: String
        var provider_name: String
        var provider_url: String
        var html: String
        var width: Int
        var height: Int
        var thumbnail_url: String?
        var thumbnail_width: Int?
        var thumbnail_height: Int?
    }
}
