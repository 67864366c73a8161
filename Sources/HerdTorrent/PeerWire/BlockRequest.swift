/// A block asked for by a `request` message (BEP 3): `length` bytes from offset `begin` inside piece `index`.
public struct BlockRequest: Sendable, Hashable, CustomStringConvertible {
    public var index: UInt32
    public var begin: UInt32
    public var length: UInt32

    public init(index: UInt32, begin: UInt32, length: UInt32) {
        self.index = index
        self.begin = begin
        self.length = length
    }

    public var description: String { "piece \(index) +\(begin) (\(length) bytes)" }
}
