import Foundation

/// Any JSON value. ActivityPub documents are loosely typed (`actor` may be a URL or an object, `to` a string or an
/// array, `@context` a mix), so incoming documents are read as `JSONValue` and picked apart with the accessors below;
/// outgoing ones are built from literals.
public enum JSONValue: Sendable, Equatable, Codable, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral, ExpressibleByNilLiteral
{
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements) { _, last in last })
    }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(nilLiteral: ()) { self = .null }

    public init(_ string: String?) { self = string.map(JSONValue.string) ?? .null }
    public init(_ number: Int) { self = .number(Double(number)) }
    public init(_ number: Int64) { self = .number(Double(number)) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value):
            if value.rounded() == value, abs(value) < 9e15 {
                try container.encode(Int64(value))
            } else {
                try container.encode(value)
            }
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// Parses JSON bytes; throws on anything but one JSON value.
    public static func parse(_ bytes: some Collection<UInt8>) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
    }

    /// Compact JSON with sorted keys and unescaped slashes (stable bytes for signatures and tests).
    public var serialized: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(self)) ?? Data("null".utf8))
    }

    // MARK: Reading

    public subscript(key: String) -> JSONValue? {
        if case .object(let fields) = self { return fields[key] }
        return nil
    }

    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var number: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// A whole number inside `range`, else nil. Remote JSON is hostile: NaN, infinities, fractions and numbers like
    /// `1e300` are refused here instead of trapping in `Int(someDouble)`.
    public func integer(in range: ClosedRange<Int>) -> Int? {
        guard case .number(let value) = self, let whole = Int(exactly: value), range.contains(whole) else { return nil }
        return whole
    }

    /// A count (views, likes, totals): a finite number ≥ 0, rounded down and clamped to `limit`; nil otherwise.
    public func count(clampedTo limit: Int = JSONValue.maxCount) -> Int? {
        guard case .number(let value) = self, value.isFinite, value >= 0 else { return nil }
        return value >= Double(limit) ? limit : Int(value.rounded(.down))
    }

    /// A finite number inside `range`, else nil.
    public func finite(in range: ClosedRange<Double>) -> Double? {
        guard case .number(let value) = self, value.isFinite, range.contains(value) else { return nil }
        return value
    }

    /// The largest count taken from a remote document (2^48: far above any real count, far below `Int.max`).
    public static let maxCount = 1 << 48

    public var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var array: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    public var object: [String: JSONValue]? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// An ActivityPub reference: a URL string, or an object (or link) with an `id` (or `href`).
    public var id: String? {
        switch self {
        case .string(let value): value
        case .object(let fields): fields["id"]?.string ?? fields["href"]?.string
        default: nil
        }
    }

    /// A value that may be one item or an array of them, as an array (`to`, `cc`, `type`, `attributedTo`).
    public var list: [JSONValue] {
        switch self {
        case .array(let values): values
        case .null: []
        default: [self]
        }
    }

    /// The `type` (the first one when it is an array).
    public var type: String? { self["type"]?.list.first?.string }
}
