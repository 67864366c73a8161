/// The canonical encoding (BEP 3): shortest integers, length-prefixed strings, dictionary keys sorted.
extension Bencode {
    public func encoded() -> [UInt8] {
        var output: [UInt8] = []
        encode(into: &output)
        return output
    }

    public func encode(into output: inout [UInt8]) {
        switch self {
        case .integer(let value):
            output.append(UInt8(ascii: "i"))
            output.append(contentsOf: String(value).utf8)
            output.append(UInt8(ascii: "e"))
        case .bytes(let value):
            output.append(contentsOf: String(value.count).utf8)
            output.append(UInt8(ascii: ":"))
            output.append(contentsOf: value)
        case .list(let values):
            output.append(UInt8(ascii: "l"))
            for value in values { value.encode(into: &output) }
            output.append(UInt8(ascii: "e"))
        case .dictionary(let pairs):
            output.append(UInt8(ascii: "d"))
            for (key, value) in pairs.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
                Bencode.bytes(key).encode(into: &output)
                value.encode(into: &output)
            }
            output.append(UInt8(ascii: "e"))
        }
    }
}
