import Foundation
import HerdCrypto
import HerdTorrent

/// What a copy on disk must still be: each media file whole against its torrent (BEP 3 piece hashes, from the
/// origin), the other files (playlists, `segments-sha256.json`, torrents) byte for byte what was verified when the
/// copy was made. `.herd-copy.json` (never served: static paths cannot start with a dot) records their sizes,
/// modification times and SHA-256 so that a change is noticed cheaply and checked in full.
public struct CopyIntegrity: Sendable {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    public static let manifestName = ".herd-copy.json"

    public struct Entry: Codable, Equatable {
        var size: Int64
        var modified: Double
        /// SHA-256 of small files; media files are checked by their torrents instead.
        var sha256: String?
        /// What it is served as, decided by the copier from the role it checked the file in (media, torrent,
        /// playlist, segment hashes), never from the name another server gave it; nil: not served.
        var contentType: String?
    }

    public struct Manifest: Codable {
        var files: [String: Entry]
        /// Torrent file name → the media file it describes (a torrent's own `name` is a display name).
        var torrents: [String: String]
    }

    public struct Damage: Error, CustomStringConvertible {
        var file: String
        var problem: String
        public var description: String { "\(file): \(problem)" }
    }

    /// Every torrent of the copy with the media file it describes.
    public func torrents() -> [(path: String, torrent: TorrentFile)] {
        let pairs = (try? manifest().torrents) ?? [:]
        return pairs.sorted { $0.key < $1.key }.compactMap { torrentName, fileName in
            guard let data = FileManager.default.contents(atPath: directory + "/" + torrentName),
                let torrent = try? TorrentFile(bytes: Array(data))
            else { return nil }
            return (directory + "/" + fileName, torrent)
        }
    }

    public static func stat(_ path: String) -> (size: Int64, modified: Double)? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let size = (attributes[.size] as? NSNumber)?.int64Value,
            let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970
        else { return nil }
        return (size, modified)
    }

    /// Records the verified copy: sizes and times of all files, SHA-256 of those not covered by a torrent.
    /// - Parameter torrents: torrent file name → media file name; nil keeps those already recorded.
    /// - Parameter types: file name → the content type it is served with; nil keeps those already recorded.
    public func writeManifest(torrents pairs: [String: String]? = nil, types: [String: String]? = nil) throws {
        let recorded = pairs == nil || types == nil ? try manifest() : nil
        let pairs = pairs ?? recorded?.torrents ?? [:]
        let types = types ?? recorded?.files.compactMapValues(\.contentType) ?? [:]
        let media = Set(pairs.values)
        var entries: [String: Entry] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) where !name.hasPrefix(".") {
            let path = directory + "/" + name
            guard let (size, modified) = Self.stat(path) else { continue }
            let hash = media.contains(name) ? nil : try Self.sha256(of: path)
            entries[name] = Entry(size: size, modified: modified, sha256: hash, contentType: types[name])
        }
        let data = try JSONEncoder().encode(Manifest(files: entries, torrents: pairs))
        try data.write(to: URL(fileURLWithPath: directory + "/" + Self.manifestName), options: .atomic)
    }

    public func manifest() throws -> Manifest {
        guard let data = FileManager.default.contents(atPath: directory + "/" + Self.manifestName) else {
            throw Damage(file: Self.manifestName, problem: "missing")
        }
        return try JSONDecoder().decode(Manifest.self, from: data)
    }

    /// Whether any file changed size or time (or went missing) since the copy was verified: cheap, every check.
    public func changedFiles() throws -> [String] {
        try manifest().files.compactMap { name, entry in
            guard let (size, modified) = Self.stat(directory + "/" + name) else { return name }
            return size == entry.size && modified == entry.modified ? nil : name
        }.sorted()
    }

    /// Hashes everything again: media files against their torrents, the rest against the manifest.
    public func verify() throws {
        let manifest = try manifest()
        let entries = manifest.files
        // A copy made before content types were recorded would not be served: discarded, so it is copied again.
        guard entries.values.contains(where: { $0.contentType != nil }) else {
            throw Damage(file: Self.manifestName, problem: "no content types recorded")
        }
        let torrents = torrents()
        guard torrents.count == manifest.torrents.count else {
            throw Damage(file: Self.manifestName, problem: "a torrent is missing or unreadable")
        }
        for (path, torrent) in torrents {
            try Self.check(path, against: torrent)
        }
        for (name, entry) in entries {
            guard let expected = entry.sha256 else { continue }
            let path = directory + "/" + name
            guard FileManager.default.fileExists(atPath: path) else { throw Damage(file: name, problem: "missing") }
            guard try Self.sha256(of: path) == expected else {
                throw Damage(file: name, problem: "its bytes changed since the copy was verified")
            }
        }
    }

    /// Streams a file through `PieceVerifier`.
    public static func check(_ path: String, against torrent: TorrentFile) throws {
        let name = (path as NSString).lastPathComponent
        guard let handle = FileHandle(forReadingAtPath: path) else { throw Damage(file: name, problem: "missing") }
        defer { try? handle.close() }
        var verifier = try PieceVerifier(torrent: torrent, expectedInfoHash: torrent.infoHash)
        do {
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                try verifier.consume(chunk)
            }
            try verifier.finish()
        } catch let failure as PieceVerifier.Failure {
            throw Damage(file: name, problem: failure.description)
        }
    }

    public static func sha256(of path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Damage(file: (path as NSString).lastPathComponent, problem: "unreadable")
        }
        return Digest.hex(Digest.sha256(Array(data)))
    }
}
