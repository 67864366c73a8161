import Foundation
import HerdCore
import HerdMediaStore
import HerdObjectStorage
import HerdProcessing
import Logging

/// `herd storage migrate`: moves the kinds object storage holds (originals, web MP4s, HLS folders, public and
/// private) from `storage.dir` to the buckets or back (issue 18). Each file or folder is copied whole, then removed
/// from where it was, so a run that stops part way is finished by running it again: what is left at the source
/// goes over (replacing a partial copy), and nothing is lost.
struct MediaMigration {
    enum Target: String, CaseIterable {
        case object, local
    }

    let local: LocalMediaStore
    let objects: ObjectMediaStore
    /// Where downloads from the buckets are assembled before they are moved in place (`storage.dir/tmp`).
    let scratch: String
    let logger: Logger

    init(settings: Settings, logger: Logger) {
        let layout = StorageLayout(root: settings.storageDir)
        local = LocalMediaStore(layout: layout)
        objects = ObjectMediaStore(settings: settings.objectStorage, local: local)
        scratch = layout.tmp
        self.logger = logger
    }

    /// Moves everything; returns how many files or folders moved.
    func run(to target: Target) async throws -> Int {
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        var moved = 0
        for kind in MediaKind.allCases where objects.places[kind] != nil {
            let keys = try await target == .object ? local.keys(kind) : objects.keys(kind)
            for key in keys {
                switch target {
                case .object: try await upload(kind, key)
                case .local: try await download(kind, key)
                }
                moved += 1
                logger.info("moved", metadata: ["kind": "\(kind)", "key": "\(key)", "to": "\(target.rawValue)"])
            }
        }
        return moved
    }

    func upload(_ kind: MediaKind, _ key: String) async throws {
        guard let path = local.localPath(kind, key) else { return }
        try await objects.put(kind, key, movingFrom: path)
    }

    /// A file, or a folder object by object, into the scratch folder; then moved in place, then deleted remotely.
    func download(_ kind: MediaKind, _ key: String) async throws {
        let target = scratch + "/migrate-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: target) }
        let files = try await objects.files(kind, inFolder: key)
        if files.isEmpty {
            guard try await objects.localFile(kind, key, scratch: target) != nil else { return }
        } else {
            for file in files {
                let path = target + "/" + file
                try FileManager.default.createDirectory(
                    atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                _ = try await objects.localFile(kind, key + "/" + file, scratch: path)
            }
        }
        try await local.put(kind, key, movingFrom: target)
        try await objects.delete(kind, key)
    }
}
