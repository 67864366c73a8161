import Foundation

/// The browser client's folder (`Web/`) and its HTML pages, read once at start (never from disk while answering a
/// request).
public struct WebAssets: Sendable {
    public let directory: String
    public let pages: [String: String]

    public init(directory: String) {
        self.directory = directory
        pages = Self.loadPages(in: directory)
    }

    /// Finds `Web/`: the configured folder, `./Web`, or the checkout the binary was built in
    /// (`<checkout>/.build/<triple>/release/herd`).
    public static func locate(configured: String) -> WebAssets? {
        let fileManager = FileManager.default
        func isWeb(_ path: String) -> Bool { fileManager.fileExists(atPath: path + "/index.html") }
        if !configured.isEmpty { return isWeb(configured) ? WebAssets(directory: configured) : nil }
        var candidates = [fileManager.currentDirectoryPath + "/Web"]
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = executable.deletingLastPathComponent()
        for _ in 0..<4 {
            directory = directory.deletingLastPathComponent()
            candidates.append(directory.path + "/Web")
        }
        return candidates.first(where: isWeb).map(WebAssets.init(directory:))
    }

    /// Every `*.html` page of the client folder, by file name.
    static func loadPages(in directory: String) -> [String: String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var pages: [String: String] = [:]
        for name in names where name.hasSuffix(".html") {
            if let data = FileManager.default.contents(atPath: directory + "/" + name) {
                pages[name] = String(decoding: data, as: UTF8.self)
            }
        }
        return pages
    }
}
