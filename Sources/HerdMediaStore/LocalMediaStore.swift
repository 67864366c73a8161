import Foundation
import HerdCore

/// `MediaStore` on the local disk, in PeerTube's folders under the storage directory (`StorageLayout`). Whole-file
/// and folder operations run off the cooperative pool (`Task.detached`), as blocking file system calls should.
public struct LocalMediaStore: MediaStore {
    let layout: StorageLayout

    public init(layout: StorageLayout) { self.layout = layout }

    func folder(_ kind: MediaKind) -> String {
        switch kind {
        case .originals: layout.originals
        case .webVideos: layout.webVideos
        case .privateWebVideos: layout.privateWebVideos
        case .hls: layout.streamingPlaylists
        case .privateHLS: layout.privateStreamingPlaylists
        case .thumbnails: layout.thumbnails
        case .previews: layout.previews
        case .torrents: layout.torrents
        case .copies: layout.redundancyHLS
        }
    }

    /// The path of `key` in `kind`'s folder; a key is a relative path without `..` (checked, as keys may come
    /// from names other servers chose).
    func path(_ kind: MediaKind, _ key: String) throws -> String {
        guard !key.isEmpty, !key.hasPrefix("/"), !key.split(separator: "/").contains(where: { $0 == ".." || $0 == "." })
        else { throw HerdError.internalError("unusable media key \(key)") }
        return folder(kind) + "/" + key
    }

    public func localPath(_ kind: MediaKind, _ key: String) -> String? { try? path(kind, key) }

    public func put(_ kind: MediaKind, _ key: String, movingFrom localPath: String) async throws {
        let target = try path(kind, key)
        try await Task.detached {
            let fileManager = FileManager.default
            try fileManager.createDirectory(
                atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            if fileManager.fileExists(atPath: target) { try fileManager.removeItem(atPath: target) }
            try fileManager.moveItem(atPath: localPath, toPath: target)
        }.value
    }

    public func write(_ kind: MediaKind, _ key: String, bytes: [UInt8]) async throws {
        let target = try path(kind, key)
        // Off the event loops (NIO runs Swift concurrency here): remote thumbnails are written while a request waits.
        try await Task.detached {
            try FileManager.default.createDirectory(
                atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: target), options: .atomic)
        }.value
    }

    public func read(_ kind: MediaKind, _ key: String, maxBytes: Int) async throws -> [UInt8]? {
        let source = try path(kind, key)
        return try await Task.detached { () -> [UInt8]? in
            guard let handle = FileHandle(forReadingAtPath: source) else { return nil }
            defer { try? handle.close() }
            guard let data = try handle.read(upToCount: maxBytes + 1), data.count <= maxBytes else { return nil }
            return Array(data)
        }.value
    }

    public func exists(_ kind: MediaKind, _ key: String) async -> Bool {
        guard let path = try? path(kind, key) else { return false }
        return FileManager.default.fileExists(atPath: path)
    }

    public func delete(_ kind: MediaKind, _ key: String) async throws {
        let target = try path(kind, key)
        try await Task.detached {
            guard FileManager.default.fileExists(atPath: target) else { return }
            try FileManager.default.removeItem(atPath: target)
        }.value
    }

    @discardableResult
    public func deleteAll(_ kind: MediaKind, prefix: String) async throws -> [String] {
        guard !prefix.isEmpty else { throw HerdError.internalError("deleting a whole media folder") }
        let directory = folder(kind)
        return try await Task.detached {
            let fileManager = FileManager.default
            let names = (try? fileManager.contentsOfDirectory(atPath: directory)) ?? []
            var removed: [String] = []
            for name in names where name.hasPrefix(prefix) {
                try fileManager.removeItem(atPath: directory + "/" + name)
                removed.append(name)
            }
            return removed
        }.value
    }

    public func move(_ key: String, from source: MediaKind, to target: MediaKind) async throws {
        let (from, to) = (try path(source, key), try path(target, key))
        try await Task.detached {
            let fileManager = FileManager.default
            guard fileManager.fileExists(atPath: from) else { return }
            if fileManager.fileExists(atPath: to) { try fileManager.removeItem(atPath: to) }
            try fileManager.moveItem(atPath: from, toPath: to)
        }.value
    }

    public func keys(_ kind: MediaKind) async throws -> [String] {
        let directory = folder(kind)
        // PeerTube keeps private files in a `private` folder inside the public one: that folder is another kind's.
        let nested = Set(MediaKind.allCases.map(folder)).filter { $0.hasPrefix(directory + "/") }
        return await Task.detached {
            ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter {
                !$0.hasPrefix(".") && !nested.contains(directory + "/" + $0)
            }
        }.value
    }
}
