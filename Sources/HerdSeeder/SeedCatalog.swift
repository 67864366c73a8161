import HerdCore
import HerdTracker
import Synchronization

/// One file the seeder serves: where it is and how it is cut into pieces.
public struct SeededFile: Sendable, Equatable {
    /// On this machine: the file's real path. In object storage: `object`'s kind and key, which name it here.
    public var path: String
    public var length: Int64
    public var pieceLength: Int
    /// Where the file is in object storage, read by ranged GETs; nil for a file on this machine.
    public var object: MediaObject?

    public init(path: String, length: Int64, pieceLength: Int) {
        self.path = path
        self.length = length
        self.pieceLength = pieceLength
    }

    public init(object: MediaObject, length: Int64, pieceLength: Int) {
        self.init(path: "\(object.kind):\(object.key)", length: length, pieceLength: pieceLength)
        self.object = object
    }

    public var pieceCount: Int { length == 0 ? 0 : Int((length + Int64(pieceLength) - 1) / Int64(pieceLength)) }
}

/// The torrents the seeder holds, by info-hash. Only complete, published files are added, so the seeder never
/// offers a piece it does not have.
public final class SeedCatalog: Sendable {
    private let files = Mutex<(byHash: [InfoHash: SeededFile], byPath: [String: InfoHash])>(([:], [:]))

    public init() {}

    public func add(_ file: SeededFile, for hash: InfoHash) {
        files.withLock {
            if let old = $0.byHash[hash] { $0.byPath[old.path] = nil }
            $0.byHash[hash] = file
            $0.byPath[file.path] = hash
        }
    }

    /// The torrent whose file lives at `path`, if seeded.
    public func hash(forPath path: String) -> InfoHash? {
        files.withLock { $0.byPath[path] }
    }

    public func remove(_ hash: InfoHash) {
        files.withLock {
            if let old = $0.byHash.removeValue(forKey: hash) { $0.byPath[old.path] = nil }
        }
    }

    public func file(for hash: InfoHash) -> SeededFile? {
        files.withLock { $0.byHash[hash] }
    }

    public var hashes: [InfoHash] { files.withLock { Array($0.byHash.keys) } }
    public var count: Int { files.withLock { $0.byHash.count } }
}
