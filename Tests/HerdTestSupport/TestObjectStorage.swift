import Foundation
import HerdCore
import HerdMediaStore
import HerdObjectStorage
import Synchronization

/// Where the suite's Herd instances keep their media: their own storage folder (the default), or with
/// `HERD_TEST_OBJECT_STORAGE=1` a bucket each on `S3TestServer.shared` (issue 18: the whole suite passes with
/// PostgreSQL and object storage too; `make test`'s second pass runs it so).
public enum TestObjectStorage {
    public static let enabled = ProcessInfo.processInfo.environment["HERD_TEST_OBJECT_STORAGE"] == "1"

    private static let buckets = Mutex<[String: [String: String]]>([:])

    /// The `object_storage.*` settings for the instance whose storage is in `directory`: none (local files), or a
    /// bucket made on first use, the same one for a restart in the same directory.
    public static func settings(for directory: String) async throws -> [String: String] {
        guard enabled else { return [:] }
        if let known = buckets.withLock({ $0[directory] }) { return known }
        let (endpoint, bucket) = try await S3TestServer.shared.bucket()
        let settings = S3TestServer.settings(endpoint, bucket: bucket)
        return buckets.withLock { known in
            if let other = known[directory] { return other }
            known[directory] = settings
            return settings
        }
    }

    /// `settings(for:)` as the `HERD_*` environment variables of a `herd` process.
    public static func environment(for directory: String) throws -> [String: String] {
        let settings: [String: String] = try runBlocking { try await Self.settings(for: directory) }
        var environment: [String: String] = [:]
        for key in SettingsSchema.keys {
            if let value = settings[key.path] { environment[key.environmentName] = value }
        }
        return environment
    }

    /// The media of the `herd` process whose folder is `directory` (`storage/` in it, or its bucket), as it sees
    /// them: for tests that check what a process stored.
    public static func media(for directory: String) async throws -> any MediaStore {
        let settings = try SettingsSchema.settings(
            from: ["storage.dir": directory + "/storage"].merging(try await settings(for: directory)) { $1 })
        let local = LocalMediaStore(layout: StorageLayout(root: settings.storageDir))
        return enabled ? ObjectMediaStore(settings: settings.objectStorage, local: local) : local
    }

    /// Forgets `directory`'s bucket (its objects go with the server's folder when the test process exits).
    public static func forget(_ directory: String) { buckets.withLock { _ = $0.removeValue(forKey: directory) } }
}
