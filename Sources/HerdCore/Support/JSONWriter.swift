/// A hand-driven JSON writer (RFC 8259) for the hottest responses, such as video lists, where generic
/// `Encodable` costs more than the work itself. Types opt in with `JSONWritable`; fields that are nil
/// are left out, as `JSONEncoder` does with synthesized `Encodable`.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    private var needsComma = false

    public init(capacity: Int = 4096) {
        bytes.reserveCapacity(capacity)
    }

    // MARK: Structure

    public mutating func object(_ body: (inout JSONWriter) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
        body(&self)
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    public mutating func array<S: Sequence>(_ elements: S, _ body: (inout JSONWriter, S.Element) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
        for element in elements { body(&self, element) }
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes `"name":` inside an object; the value must follow.
    public mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    // MARK: Values

    public mutating func value(_ string: String) {
        separate()
        Self.appendString(string, to: &bytes)
        needsComma = true
    }

    public mutating func value<T: BinaryInteger>(_ integer: T) {
        separate()
        Self.appendInteger(integer, to: &bytes)
        needsComma = true
    }

    public mutating func value(_ bool: Bool) {
        separate()
        if bool { bytes.append(contentsOf: "true".utf8) } else { bytes.append(contentsOf: "false".utf8) }
        needsComma = true
    }

    /// Non-finite numbers have no JSON form and are written as null.
    public mutating func value(_ double: Double) {
        separate()
        if !double.isFinite {
            bytes.append(contentsOf: "null".utf8)
        } else if double == double.rounded(), abs(double) < 1e15 {
            Self.appendInteger(Int64(double), to: &bytes)
        } else {
            bytes.append(contentsOf: double.description.utf8)
        }
        needsComma = true
    }

    public mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
        needsComma = true
    }

    public mutating func value(_ writable: some JSONWritable) {
        writable.write(to: &self)
    }

    // MARK: Fields

    public mutating func field(_ name: StaticString, _ string: String) {
        key(name)
        value(string)
    }

    public mutating func field(_ name: StaticString, _ string: String?) {
        if let string { field(name, string) }
    }

    public mutating func field<T: BinaryInteger>(_ name: StaticString, _ integer: T) {
        key(name)
        value(integer)
    }

    public mutating func field<T: BinaryInteger>(_ name: StaticString, _ integer: T?) {
        if let integer { field(name, integer) }
    }

    public mutating func field(_ name: StaticString, _ bool: Bool) {
        key(name)
        value(bool)
    }

    public mutating func field(_ name: StaticString, _ bool: Bool?) {
        if let bool { field(name, bool) }
    }

    public mutating func field(_ name: StaticString, _ double: Double) {
        key(name)
        value(double)
    }

    public mutating func field(_ name: StaticString, _ double: Double?) {
        if let double { field(name, double) }
    }

    public mutating func field(_ name: StaticString, _ writable: (some JSONWritable)?) {
        guard let writable else { return }
        key(name)
        writable.write(to: &self)
    }

    public mutating func field(_ name: StaticString, _ strings: [String]?) {
        guard let strings else { return }
        key(name)
        array(strings) { $0.value($1) }
    }

    public mutating func field<W: JSONWritable>(_ name: StaticString, _ items: [W]?) {
        guard let items else { return }
        key(name)
        array(items) { writer, item in item.write(to: &writer) }
    }

    // MARK: Encoding helpers, shared with `StreamingJSONEncoder`

    static func appendString(_ string: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var copy = string
        copy.withUTF8 { utf8 in
            var start = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                switch byte {
                case UInt8(ascii: "\""): bytes.append(contentsOf: #"\""#.utf8)
                case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
                case 0x0A: bytes.append(contentsOf: #"\n"#.utf8)
                case 0x0D: bytes.append(contentsOf: #"\r"#.utf8)
                case 0x09: bytes.append(contentsOf: #"\t"#.utf8)
                default:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: #"\u00"#.utf8)
                    bytes.append(hex[Int(byte >> 4)])
                    bytes.append(hex[Int(byte & 0x0F)])
                }
                start = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<utf8.count]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Any integer type; called across modules this is not specialized, so the digits are made by the concrete
    /// `Int64` path below (generic `%` and `/` per digit cost several percent of a video list; issue 16).
    static func appendInteger<T: BinaryInteger>(_ value: T, to bytes: inout [UInt8]) {
        if let exact = Int64(exactly: value) {
            appendInteger(exact, to: &bytes)
        } else {
            bytes.append(contentsOf: String(value).utf8)
        }
    }

    static func appendInteger(_ value: Int64, to bytes: inout [UInt8]) {
        if value == 0 {
            bytes.append(UInt8(ascii: "0"))
            return
        }
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // room for 24 digits, no heap
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            while magnitude > 0 {
                buffer[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            }
            for index in stride(from: count - 1, through: 0, by: -1) { bytes.append(buffer[index]) }
        }
    }
}

/// A type that writes itself with `JSONWriter`.
public protocol JSONWritable {
    func write(to json: inout JSONWriter)
}
