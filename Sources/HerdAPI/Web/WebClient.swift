import Foundation
import HTTPTypes
import HerdCore
import Hummingbird

/// The browser client (issue 7): pages from `Web/` for browsers, the API for everything they do. The pages are
/// static files; their scripts read the address (`/videos/watch/{uuid}`, …) and call `/api/v1`. Assets are served
/// under `/client/` by `StaticFiles`.
public struct WebClient: Sendable {
    let services: APIServices

    public init(services: APIServices) { self.services = services }

    /// Finds `Web/`: the configured folder, `./Web`, or the checkout the binary was built in
    /// (`<checkout>/.build/<triple>/release/herd`).
    public static func locate(configured: String) -> String? {
        let fileManager = FileManager.default
        func isWeb(_ path: String) -> Bool { fileManager.fileExists(atPath: path + "/index.html") }
        if !configured.isEmpty { return isWeb(configured) ? configured : nil }
        var candidates = [fileManager.currentDirectoryPath + "/Web"]
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = executable.deletingLastPathComponent()
        for _ in 0..<4 {
            directory = directory.deletingLastPathComponent()
            candidates.append(directory.path + "/Web")
        }
        return candidates.first(where: isWeb)
    }

    /// The pages and the addresses that show them.
    static let pages: [(route: String, file: String)] = [
        ("/", "index.html"), ("/login", "login.html"), ("/upload", "upload.html"), ("/my-videos", "my-videos.html"),
        ("/search", "index.html"),
    ]

    public func addRoutes(to router: Router<HerdRequestContext>) {
        guard services.webDirectory != nil else { return }
        for (route, file) in Self.pages {
            router.get(RouterPath(stringLiteral: route)) { _, _ in try self.page(file) }
        }
    }

    /// A page of the client, never cached for long (its scripts and styles carry the version).
    public func page(_ name: String) throws -> Response {
        guard let directory = services.webDirectory,
            let data = FileManager.default.contents(atPath: directory + "/" + name)
        else { throw HerdError.notFound("Page not found") }
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-cache",
                HTTPField.Name("Content-Security-Policy")!:
                    "default-src 'self'; img-src 'self' https: http: data:; media-src 'self' blob: https: http:; connect-src 'self' https: http: ws: wss:; style-src 'self'",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
