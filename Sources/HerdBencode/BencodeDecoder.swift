/// A strict decoder (BEP 3): anything but the canonical encoding is refused, so that a value's bytes and its
/// re-encoding always agree (info-hashes depend on it).
public struct BencodeDecoder: Sendable {
    public enum DecodeError: Error, Equatable, Sendable, CustomStringConvertible {
        case unexpectedEnd(at: Int)
        case unexpectedByte(UInt8, at: Int)
        case nonCanonicalInteger(at: Int)
        case integerOverflow(at: Int)
        case nonCanonicalLength(at: Int)
        case lengthPastEnd(at: Int)
        case keysNotSorted(at: Int)
        case duplicateKey(at: Int)
        case tooDeep(at: Int)
        case trailingBytes(at: Int)

        public var description: String {
            switch self {
            case .unexpectedEnd(let at): "unexpected end of input at byte \(at)"
            case .unexpectedByte(let byte, let at): "unexpected byte 0x\(String(byte, radix: 16)) at byte \(at)"
            case .nonCanonicalInteger(let at): "non-canonical integer at byte \(at)"
            case .integerOverflow(let at): "integer too large at byte \(at)"
            case .nonCanonicalLength(let at): "non-canonical string length at byte \(at)"
            case .lengthPastEnd(let at): "string length past the end of input at byte \(at)"
            case .keysNotSorted(let at): "dictionary keys not sorted at byte \(at)"
            case .duplicateKey(let at): "duplicate dictionary key at byte \(at)"
            case .tooDeep(let at): "nesting too deep at byte \(at)"
            case .trailingBytes(let at): "trailing bytes after the value at byte \(at)"
            }
        }
    }

    public var maxDepth: Int

    public init(maxDepth: Int = 64) {
        self.maxDepth = maxDepth
    }

    /// Decodes exactly one value spanning all of `bytes`.
    public func decode(_ bytes: [UInt8]) throws(DecodeError) -> Bencode {
        var parser = Parser(bytes: bytes, maxDepth: maxDepth)
        let value = try parser.value(depth: 0)
        guard parser.position == bytes.count else { throw .trailingBytes(at: parser.position) }
        return value
    }

    /// The byte range of the value under `key` in a top-level dictionary (e.g. `info`, for the info-hash).
    public func rawRange(ofKey key: String, in bytes: [UInt8]) throws(DecodeError) -> Range<Int>? {
        var parser = Parser(bytes: bytes, maxDepth: maxDepth)
        return try parser.rangeOfTopLevelKey(Array(key.utf8))
    }

    struct Parser {
        let bytes: [UInt8]
        let maxDepth: Int
        var position = 0

        init(bytes: [UInt8], maxDepth: Int) {
            self.bytes = bytes
            self.maxDepth = maxDepth
        }

        func peek() throws(DecodeError) -> UInt8 {
            guard position < bytes.count else { throw .unexpectedEnd(at: position) }
            return bytes[position]
        }

        mutating func value(depth: Int) throws(DecodeError) -> Bencode {
            guard depth <= maxDepth else { throw .tooDeep(at: position) }
            let byte = try peek()
            switch byte {
            case UInt8(ascii: "i"): return .integer(try integer())
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return .bytes(try string())
            case UInt8(ascii: "l"):
                position += 1
                var values: [Bencode] = []
                while try peek() != UInt8(ascii: "e") { values.append(try value(depth: depth + 1)) }
                position += 1
                return .list(values)
            case UInt8(ascii: "d"):
                position += 1
                var pairs: [(key: [UInt8], value: Bencode)] = []
                while try peek() != UInt8(ascii: "e") {
                    let keyStart = position
                    guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(try peek()) else {
                        throw .unexpectedByte(bytes[position], at: position)
                    }
                    let key = try string()
                    if let last = pairs.last?.key {
                        if last == key { throw .duplicateKey(at: keyStart) }
                        guard last.lexicographicallyPrecedes(key) else { throw .keysNotSorted(at: keyStart) }
                    }
                    pairs.append((key, try value(depth: depth + 1)))
                }
                position += 1
                return .dictionary(pairs)
            default:
                throw .unexpectedByte(byte, at: position)
            }
        }

        /// `i<digits>e`: no leading zeros, no `-0`, no empty number.
        mutating func integer() throws(DecodeError) -> Int64 {
            let start = position
            position += 1  // "i"
            var negative = false
            if try peek() == UInt8(ascii: "-") {
                negative = true
                position += 1
            }
            let digitsStart = position
            var value: Int64 = 0
            while try peek() != UInt8(ascii: "e") {
                let byte = bytes[position]
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else {
                    throw .unexpectedByte(byte, at: position)
                }
                let (multiplied, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (added, overflow2) = multiplied.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
                guard !overflow1, !overflow2 else { throw .integerOverflow(at: start) }
                value = added
                position += 1
            }
            let digits = position - digitsStart
            guard digits > 0, !(digits > 1 && bytes[digitsStart] == UInt8(ascii: "0")), !(negative && value == 0) else {
                throw .nonCanonicalInteger(at: start)
            }
            position += 1  // "e"
            return negative ? -value : value
        }

        /// `<length>:<bytes>` with a canonical length that stays inside the input.
        mutating func string() throws(DecodeError) -> [UInt8] {
            let start = position
            var length = 0
            while try peek() != UInt8(ascii: ":") {
                let byte = bytes[position]
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else {
                    throw .unexpectedByte(byte, at: position)
                }
                guard length <= (bytes.count - position) else { throw .lengthPastEnd(at: start) }
                length = length * 10 + Int(byte - UInt8(ascii: "0"))
                position += 1
            }
            guard position > start, !(position - start > 1 && bytes[start] == UInt8(ascii: "0")) else {
                throw .nonCanonicalLength(at: start)
            }
            position += 1  // ":"
            guard length <= bytes.count - position else { throw .lengthPastEnd(at: start) }
            defer { position += length }
            return Array(bytes[position..<position + length])
        }

        mutating func rangeOfTopLevelKey(_ wanted: [UInt8]) throws(DecodeError) -> Range<Int>? {
            guard try peek() == UInt8(ascii: "d") else { return nil }
            position += 1
            while try peek() != UInt8(ascii: "e") {
                let key = try string()
                let start = position
                _ = try value(depth: 1)
                if key == wanted { return start..<position }
            }
            return nil
        }
    }
}
