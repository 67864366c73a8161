import HerdCore
import NIOCore

/// Files of the kinds kept in object storage, read for a viewer in one request (issue 18): the viewer's range goes to
/// the bucket as it was asked, and the bucket's answer (size, validators, bytes in the buffers they arrived in) is
/// relayed. The composition root gives the object store's.
public protocol ObjectReads: Sendable {
    /// Whether `kind` is kept in object storage.
    func holds(_ kind: MediaKind) -> Bool
    /// All of `kind`/`key` or the bytes `range` names (a header value, as `ByteRange.Spec.header` gives it).
    func read(_ kind: MediaKind, _ key: String, range: String?) async throws -> ObjectRead
}

public enum ObjectRead: Sendable {
    /// No such object.
    case missing
    /// No byte of the object is in the range (the bucket's 416, which does not say the object's size).
    case unsatisfiable
    /// The object's size and validators, the bytes sent (nil: all of them) and those bytes as they come.
    case bytes(
        size: Int64, etag: String?, lastModified: String?, range: ClosedRange<Int64>?,
        body: AsyncThrowingStream<ByteBuffer, any Error>)
}
