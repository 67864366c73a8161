import Foundation

/// The content types of mirror copies' files, as their manifests record them (`CopyIntegrity.Entry.contentType`):
/// a copied file is served with the type of the role it was checked in, and a file the manifest gives none (or
/// does not list) is not served. Each manifest is read once and again only when it changes.
public final class CopyContentTypes: @unchecked Sendable {
    private let lock = NSLock()
    private var cache: [String: (modified: Double, types: [String: String])] = [:]
    /// Copies whose types are kept at once (a mirror serves a few hundred at most; past this the cache restarts).
    public static let maxCached = 1024

    public init() {}

    /// The type `file` of the copy in `directory` is served with, or nil.
    public func contentType(copy directory: String, file: String) -> String? {
        let manifest = directory + "/" + CopyIntegrity.manifestName
        guard let (_, modified) = CopyIntegrity.stat(manifest) else { return nil }
        if let cached = lock.withLock({ cache[directory] }), cached.modified == modified {
            return cached.types[file]
        }
        guard let types = try? CopyIntegrity(directory: directory).manifest().files.compactMapValues(\.contentType)
        else { return nil }
        lock.withLock {
            if cache.count >= Self.maxCached { cache.removeAll() }
            cache[directory] = (modified, types)
        }
        return types[file]
    }
}
