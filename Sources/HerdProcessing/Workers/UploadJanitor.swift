import Foundation
import HerdCore
import Logging
import ServiceLifecycle

/// Removes resumable upload sessions that have been idle longer than `upload.resumable_expiry`,
/// with their partial files, and stray temporary files left by a crash.
public struct UploadJanitor: Service {
    let stores: Stores
    let layout: StorageLayout
    /// `upload.resumable_expiry`, in seconds.
    let expiry: Int
    let clock: any WallClock
    let logger: Logger
    var interval: Duration = .seconds(60)

    public init(stores: Stores, layout: StorageLayout, expiry: Int, clock: any WallClock, logger: Logger) {
        self.stores = stores
        self.layout = layout
        self.expiry = expiry
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        await repeatUntilShutdown(every: interval, logger: logger, failure: "upload cleanup failed") {
            try await stores.singletons.alone("upload-janitor") { try await sweep() }
        }
    }

    /// One pass of cleaning.
    public func sweep() async throws {
        let cutoff = clock.now().addingTimeInterval(-TimeInterval(expiry))
        for session in try await stores.uploads.list(idleSince: cutoff) {
            // A session whose file is still growing (one long PUT still writing) is not idle.
            let partial = layout.resumableUpload(id: session.id)
            if let written = try? FileManager.default.attributesOfItem(atPath: partial)[.modificationDate] as? Date,
                written >= cutoff
            {
                continue
            }
            try await stores.uploads.delete(id: session.id)
            try? FileManager.default.removeItem(atPath: layout.resumableUpload(id: session.id))
            logger.info("expired an idle upload", metadata: ["upload_id": "\(session.id)"])
        }
        // Partial files whose session is gone (its user was deleted, or the session row expired).
        let resumable = layout.resumableUploads
        for name in (try? FileManager.default.contentsOfDirectory(atPath: resumable)) ?? [] {
            if try await stores.uploads.find(id: name) == nil {
                try? FileManager.default.removeItem(atPath: resumable + "/" + name)
            }
        }
        // Legacy uploads write to tmp/upload-*; any older than the expiry was left by a crash.
        let tmp = layout.tmp
        for name in (try? FileManager.default.contentsOfDirectory(atPath: tmp)) ?? [] where name.hasPrefix("upload-") {
            let path = tmp + "/" + name
            let modified =
                (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? Date()
            if modified < cutoff { try? FileManager.default.removeItem(atPath: path) }
        }
    }
}
