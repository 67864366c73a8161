import Foundation

/// A `Range: bytes=…` request header (RFC 9110 §14.1.2), resolved against a file size.
public enum ByteRange: Equatable, Sendable {
    /// Serve the whole file (no header, an unsupported unit, or several ranges).
    case whole
    /// Serve these bytes with 206.
    case partial(ClosedRange<Int64>)
    /// No byte of the file satisfies the range: 416.
    case unsatisfiable

    public init(header: String?, size: Int64) {
        guard let header else {
            self = .whole
            return
        }
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        guard trimmed.lowercased().hasPrefix("bytes=") else {
            self = .whole
            return
        }
        let specs = trimmed.dropFirst("bytes=".count).split(separator: ",")
        // Several ranges: RFC 9110 lets a server ignore Range and send the whole file.
        guard specs.count == 1 else {
            self = .whole
            return
        }
        let spec = specs[0].trimmingCharacters(in: .whitespaces)
        let bounds = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard bounds.count == 2 else {
            self = .whole
            return
        }
        if bounds[0].isEmpty {
            // Suffix range: the last N bytes.
            guard let length = Int64(bounds[1]), length >= 0 else {
                self = .whole
                return
            }
            guard length > 0, size > 0 else {
                self = .unsatisfiable
                return
            }
            self = .partial(max(0, size - length)...(size - 1))
            return
        }
        guard let start = Int64(bounds[0]), start >= 0 else {
            self = .whole
            return
        }
        let end: Int64
        if bounds[1].isEmpty {
            end = size - 1
        } else {
            guard let value = Int64(bounds[1]), value >= start else {
                self = .whole
                return
            }
            end = min(value, size - 1)
        }
        guard start < size else {
            self = .unsatisfiable
            return
        }
        self = .partial(start...end)
    }
}
