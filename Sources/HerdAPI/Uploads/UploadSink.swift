import HerdCore
import NIOCore
import _NIOFileSystem

/// Writes an upload to disk as it arrives, remembering its first bytes for sniffing and refusing
/// to grow past a byte limit (the remaining quota or the size limit).
final class UploadSink {
    let path: String
    private let handle: WriteFileHandle
    private(set) var offset: Int64
    private(set) var prefix: [UInt8] = []
    let limit: Int64
    let limitError: HerdError

    /// Opens `path` for appending at `offset` (0 creates or truncates nothing: the caller decides).
    init(path: String, offset: Int64, limit: Int64, limitError: HerdError) async throws {
        self.path = path
        self.offset = offset
        self.limit = limit
        self.limitError = limitError
        handle = try await FileSystem.shared.openFile(
            forWritingAt: FilePath(path), options: .modifyFile(createIfNecessary: true)
        )
    }

    func write(_ bytes: some Collection<UInt8> & Sendable) async throws {
        guard offset + Int64(bytes.count) <= limit else { throw limitError }
        if offset < MediaSniffer.prefixLength {
            prefix.append(contentsOf: bytes.prefix(MediaSniffer.prefixLength - Int(offset)))
        }
        try await handle.write(contentsOf: bytes, toAbsoluteOffset: offset)
        offset += Int64(bytes.count)
    }

    /// Flushes to stable storage and closes.
    func close(sync: Bool = true) async throws {
        if sync { try await handle.synchronize() }
        try await handle.close()
    }

    /// Closes without raising, for error paths.
    func abandon() async {
        try? await handle.close()
    }
}

/// Reads the first bytes of a stored file, for sniffing after a resumed upload.
func readPrefix(of path: String, count: Int) async throws -> [UInt8] {
    try await FileSystem.shared.withFileHandle(forReadingAt: FilePath(path)) { handle in
        var buffer = try await handle.readChunk(fromAbsoluteOffset: 0, length: .bytes(Int64(count)))
        return buffer.readBytes(length: buffer.readableBytes) ?? []
    }
}

/// The size of a file, or 0 when it does not exist.
func fileSize(_ path: String) async throws -> Int64 {
    try await FileSystem.shared.info(forFileAt: FilePath(path))?.size ?? 0
}

func removeFile(_ path: String) async {
    _ = try? await FileSystem.shared.removeItem(at: FilePath(path))
}

func moveFile(_ source: String, to destination: String) async throws {
    try await FileSystem.shared.moveItem(at: FilePath(source), to: FilePath(destination))
}
