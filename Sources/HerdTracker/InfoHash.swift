/// A 20-byte BitTorrent info-hash (BEP 3): SHA-1 of a torrent's `info` dictionary, or a swarm key.
public struct InfoHash: Hashable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 20 else { return nil }
        self.bytes = Array(bytes)
    }

    public init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count == 40 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(20)
        var index = 0
        while index < 40 {
            guard let high = Hex.value(digits[index]), let low = Hex.value(digits[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        self.bytes = out
    }

    public var hex: String { Hex.encode(bytes) }

    /// The 20 bytes at once: the synthesized hash feeds them one by one, on every swarm lookup.
    public func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    public var description: String { hex }
}
