import Foundation
import HerdCore

extension MediaStore {
    /// A local path for `key` to read in place (FFmpeg, hashing): the store's own, or a copy downloaded to
    /// `scratch` (whose caller removes it).
    public func localFile(_ kind: MediaKind, _ key: String, scratch: String) async throws -> String? {
        if let path = localPath(kind, key) { return path }
        guard let info = try await info(kind, key) else { return nil }
        guard FileManager.default.createFile(atPath: scratch, contents: nil),
            let handle = FileHandle(forWritingAtPath: scratch)
        else { throw HerdError.internalError("cannot create \(scratch)") }
        defer { try? handle.close() }
        guard info.size > 0 else { return scratch }
        // Written a few MiB at a time on the media thread, never on the event loops.
        var pending: [UInt8] = []
        let flush = { @Sendable (bytes: [UInt8]) in try await MediaThread.run { try handle.write(contentsOf: bytes) } }
        for try await chunk in try await stream(kind, key, range: 0...(info.size - 1)) {
            pending += chunk
            if pending.count >= 4 << 20 {
                try await flush(pending)
                pending.removeAll(keepingCapacity: true)
            }
        }
        try await flush(pending)
        return scratch
    }
}
