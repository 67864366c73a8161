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
        self = Spec(header: header).resolved(size: size)
    }

    /// What the header asks for before the file's size is known: a bucket can be asked for it as it is (issue 18).
    public enum Spec: Equatable, Sendable {
        /// No header, an unsupported unit, several ranges (RFC 9110 lets a server send the whole file), or syntax
        /// that is not a range.
        case whole
        /// `bytes=first-` or `bytes=first-last`.
        case from(Int64, through: Int64?)
        /// `bytes=-length`, the last `length` bytes (length > 0).
        case suffix(Int64)
        /// `bytes=-0`: no byte of any file.
        case nothing

        public init(header: String?) {
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
                guard let length = Int64(bounds[1]), length >= 0 else {
                    self = .whole
                    return
                }
                self = length == 0 ? .nothing : .suffix(length)
                return
            }
            guard let first = Int64(bounds[0]), first >= 0 else {
                self = .whole
                return
            }
            if bounds[1].isEmpty {
                self = .from(first, through: nil)
                return
            }
            guard let last = Int64(bounds[1]), last >= first else {
                self = .whole
                return
            }
            self = .from(first, through: last)
        }

        public func resolved(size: Int64) -> ByteRange {
            switch self {
            case .whole:
                return .whole
            case .nothing:
                return .unsatisfiable
            case .suffix(let length):
                return size > 0 ? .partial(max(0, size - length)...(size - 1)) : .unsatisfiable
            case .from(let first, let last):
                guard first < size else { return .unsatisfiable }
                return .partial(first...min(last ?? (size - 1), size - 1))
            }
        }

        /// The header that asks another server for the same bytes; nil for the whole file.
        public var header: String? {
            switch self {
            case .whole: nil
            case .nothing: "bytes=-0"
            case .suffix(let length): "bytes=-\(length)"
            case .from(let first, let last): "bytes=\(first)-" + (last.map(String.init) ?? "")
            }
        }
    }
}
