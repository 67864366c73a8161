import Foundation

/// The `Content-Range` of a resumable upload chunk (RFC 9110 §14.4): `bytes START-END/TOTAL`,
/// or `bytes */TOTAL` to ask where the upload stands.
public struct ContentRange: Sendable, Equatable {
    /// nil for a status query.
    public var range: ClosedRange<Int64>?
    public var total: Int64

    public init(range: ClosedRange<Int64>?, total: Int64) {
        self.range = range
        self.total = total
    }

    public init?(header: String) {
        let text = header.trimmingCharacters(in: .whitespaces)
        guard text.hasPrefix("bytes "), text.utf8.count <= 80 else { return nil }
        let spec = text.dropFirst("bytes ".count)
        let halves = spec.split(separator: "/", omittingEmptySubsequences: false)
        guard halves.count == 2, let total = Int64(halves[1]), total >= 0 else { return nil }
        self.total = total
        if halves[0] == "*" {
            self.range = nil
            return
        }
        let bounds = halves[0].split(separator: "-", omittingEmptySubsequences: false)
        guard bounds.count == 2, let start = Int64(bounds[0]), let end = Int64(bounds[1]), start >= 0, end >= start,
            end < total
        else { return nil }
        self.range = start...end
    }
}

/// What to do with a chunk of a resumable upload, given what is already stored. A pure decision:
/// the HTTP layer carries it out.
public enum ResumableChunkDecision: Sendable, Equatable {
    /// Append the body; `complete` when it ends the upload.
    case append(complete: Bool)
    /// Nothing to append: answer with where the upload stands (308, or complete when all is here).
    case status(received: Int64, complete: Bool)
    /// The chunk does not start where the stored bytes end.
    case mismatch(received: Int64)
    /// The total differs from the one announced at init.
    case wrongTotal

    public static func decide(contentRange: ContentRange?, bodyLength: Int64?, received: Int64, total: Int64)
        -> ResumableChunkDecision
    {
        guard let contentRange else {
            // No Content-Range: a status query when the body is empty, otherwise the whole rest.
            let length = bodyLength ?? 0
            if length == 0 { return .status(received: received, complete: received == total) }
            // Content-Length comes from the client: a huge one must not overflow.
            let (end, overflow) = received.addingReportingOverflow(length)
            return !overflow && length > 0 && end == total ? .append(complete: true) : .mismatch(received: received)
        }
        guard contentRange.total == total else { return .wrongTotal }
        guard let range = contentRange.range else { return .status(received: received, complete: received == total) }
        if range.upperBound < received {
            // A chunk we already have in full (the client retried after losing our answer).
            return .status(received: received, complete: received == total)
        }
        guard range.lowerBound == received else { return .mismatch(received: received) }
        if let bodyLength, bodyLength != range.upperBound - range.lowerBound + 1 {
            return .mismatch(received: received)
        }
        return .append(complete: range.upperBound + 1 == total)
    }
}
