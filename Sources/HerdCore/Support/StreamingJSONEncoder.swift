/// Encodes `Encodable` values straight to JSON bytes (RFC 8259), without building an intermediate tree.
///
/// Containers are written as they open; a container is closed when its parent writes its next element or
/// when encoding ends. This works because `encode(to:)` implementations nest strictly: a child finishes
/// before its parent continues. Optional properties left out with `encodeIfPresent` are omitted, as with
/// Foundation's `JSONEncoder`.
public struct StreamingJSONEncoder: Sendable {
    public init() {}

    public func encode(_ value: some Encodable) throws -> [UInt8] {
        let output = JSONOutput()
        output.bytes.reserveCapacity(4096)
        let encoder = StreamingEncoder(output: output, depth: 0)
        try value.encode(to: encoder)
        output.close(deeperThan: -1)
        if output.bytes.isEmpty { output.bytes.append(contentsOf: "null".utf8) }
        return output.bytes
    }
}

/// The bytes written so far and the stack of open containers.
final class JSONOutput {
    struct Open {
        var depth: Int
        var closer: UInt8
        var count: Int
    }

    var bytes: [UInt8] = []
    var open: [Open] = []

    func close(deeperThan depth: Int) {
        while let last = open.last, last.depth > depth {
            bytes.append(last.closer)
            open.removeLast()
        }
    }

    /// Starts the next element of the container at `depth`: closes children, writes the separator.
    func beginElement(depth: Int) {
        close(deeperThan: depth)
        if open[open.count - 1].count > 0 { bytes.append(UInt8(ascii: ",")) }
        open[open.count - 1].count += 1
    }

    func openContainer(depth: Int, opener: UInt8, closer: UInt8) {
        close(deeperThan: depth - 1)
        bytes.append(opener)
        open.append(Open(depth: depth, closer: closer, count: 0))
    }

    func writeString(_ string: String) { JSONWriter.appendString(string, to: &bytes) }

    func writeInteger<T: BinaryInteger>(_ value: T) { JSONWriter.appendInteger(value, to: &bytes) }

    func writeDouble(_ value: Double, codingPath: [any CodingKey]) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value, .init(codingPath: codingPath, debugDescription: "JSON has no representation for \(value)")
            )
        }
        if value == value.rounded(), abs(value) < 1e15 {
            writeInteger(Int64(value))
        } else {
            bytes.append(contentsOf: value.description.utf8)
        }
    }

    func writeBool(_ value: Bool) { bytes.append(contentsOf: (value ? "true" : "false").utf8) }
    func writeNull() { bytes.append(contentsOf: "null".utf8) }
}

struct StreamingEncoder: Encoder {
    let output: JSONOutput
    let depth: Int
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        output.openContainer(depth: depth, opener: UInt8(ascii: "{"), closer: UInt8(ascii: "}"))
        return KeyedEncodingContainer(
            StreamingKeyedContainer<Key>(output: output, depth: depth, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        output.openContainer(depth: depth, opener: UInt8(ascii: "["), closer: UInt8(ascii: "]"))
        return StreamingUnkeyedContainer(output: output, depth: depth, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        StreamingSingleValueContainer(output: output, depth: depth, codingPath: codingPath)
    }
}

/// Writes one value: primitives directly, anything else through its own `encode(to:)` one level deeper.
func writeValue(_ value: some Encodable, output: JSONOutput, depth: Int, codingPath: [any CodingKey]) throws {
    switch value {
    case let string as String: output.writeString(string)
    case let int as Int: output.writeInteger(int)
    case let int as Int64: output.writeInteger(int)
    case let bool as Bool: output.writeBool(bool)
    case let double as Double: try output.writeDouble(double, codingPath: codingPath)
    default:
        let before = output.bytes.count
        let openBefore = output.open.count
        try value.encode(to: StreamingEncoder(output: output, depth: depth + 1, codingPath: codingPath))
        if output.bytes.count == before && output.open.count == openBefore { output.writeNull() }
    }
}

struct StreamingKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let output: JSONOutput
    let depth: Int
    var codingPath: [any CodingKey]

    func writeKey(_ key: Key) {
        output.beginElement(depth: depth)
        output.writeString(key.stringValue)
        output.bytes.append(UInt8(ascii: ":"))
    }

    mutating func encodeNil(forKey key: Key) throws {
        writeKey(key)
        output.writeNull()
    }

    mutating func encode(_ value: String, forKey key: Key) throws {
        writeKey(key)
        output.writeString(value)
    }

    mutating func encode(_ value: Bool, forKey key: Key) throws {
        writeKey(key)
        output.writeBool(value)
    }

    mutating func encode(_ value: Int, forKey key: Key) throws {
        writeKey(key)
        output.writeInteger(value)
    }

    mutating func encode(_ value: Int64, forKey key: Key) throws {
        writeKey(key)
        output.writeInteger(value)
    }

    mutating func encode(_ value: Double, forKey key: Key) throws {
        writeKey(key)
        try output.writeDouble(value, codingPath: codingPath)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        writeKey(key)
        try writeValue(value, output: output, depth: depth, codingPath: codingPath)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        writeKey(key)
        return StreamingEncoder(output: output, depth: depth + 1, codingPath: codingPath).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        writeKey(key)
        return StreamingEncoder(output: output, depth: depth + 1, codingPath: codingPath).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        superEncoder(forKey: Key(stringValue: "super")!)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        writeKey(key)
        return StreamingEncoder(output: output, depth: depth + 1, codingPath: codingPath)
    }
}

struct StreamingUnkeyedContainer: UnkeyedEncodingContainer {
    let output: JSONOutput
    let depth: Int
    var codingPath: [any CodingKey]
    var count = 0

    init(output: JSONOutput, depth: Int, codingPath: [any CodingKey]) {
        self.output = output
        self.depth = depth
        self.codingPath = codingPath
    }

    mutating func encodeNil() throws {
        output.beginElement(depth: depth)
        count += 1
        output.writeNull()
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        output.beginElement(depth: depth)
        count += 1
        try writeValue(value, output: output, depth: depth, codingPath: codingPath)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<
        NestedKey
    > {
        output.beginElement(depth: depth)
        count += 1
        return StreamingEncoder(output: output, depth: depth + 1, codingPath: codingPath).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        output.beginElement(depth: depth)
        count += 1
        return StreamingEncoder(output: output, depth: depth + 1, codingPath: codingPath).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        output.beginElement(depth: depth)
        count += 1
        return StreamingEncoder(output: output, depth: depth + 1, codingPath: codingPath)
    }
}

struct StreamingSingleValueContainer: SingleValueEncodingContainer {
    let output: JSONOutput
    let depth: Int
    var codingPath: [any CodingKey]

    mutating func encodeNil() throws {
        output.close(deeperThan: depth)
        output.writeNull()
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        output.close(deeperThan: depth)
        try writeValue(value, output: output, depth: depth - 1, codingPath: codingPath)
    }
}
