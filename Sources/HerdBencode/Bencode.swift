/// A bencoded value (BEP 3): integers, byte strings, lists and dictionaries whose keys are byte strings.
/// Dictionaries keep their pairs in key order, as the canonical encoding requires.
public enum Bencode: Sendable, Equatable {
    case integer(Int64)
    case bytes([UInt8])
    case list([Bencode])
    case dictionary([(key: [UInt8], value: Bencode)])

    public static func == (lhs: Bencode, rhs: Bencode) -> Bool {
        switch (lhs, rhs) {
        case (.integer(let a), .integer(let b)): a == b
        case (.bytes(let a), .bytes(let b)): a == b
        case (.list(let a), .list(let b)): a == b
        case (.dictionary(let a), .dictionary(let b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }

    /// A byte string from UTF-8 text.
    public static func string(_ text: String) -> Bencode { .bytes(Array(text.utf8)) }

    /// A dictionary from pairs in any order; keys are sorted as raw bytes (BEP 3).
    public static func dict(_ pairs: [(String, Bencode)]) -> Bencode {
        .dictionary(
            pairs.map { (key: Array($0.0.utf8), value: $0.1) }.sorted { $0.key.lexicographicallyPrecedes($1.key) })
    }

    public subscript(key: String) -> Bencode? {
        guard case .dictionary(let pairs) = self else { return nil }
        let bytes = Array(key.utf8)
        return pairs.first { $0.key == bytes }?.value
    }

    public var integer: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    public var bytes: [UInt8]? {
        if case .bytes(let value) = self { return value }
        return nil
    }

    /// The byte string as UTF-8 text, when it is valid UTF-8.
    public var text: String? {
        guard case .bytes(let value) = self else { return nil }
        return String(validating: value, as: UTF8.self)
    }

    public var list: [Bencode]? {
        if case .list(let value) = self { return value }
        return nil
    }
}
