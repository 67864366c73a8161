import HerdCore

/// Where a peer accepts TCP (or uTP) connections: an address and a port.
public struct PeerEndpoint: Hashable, Sendable, CustomStringConvertible {
    public var address: PeerAddress
    public var port: UInt16

    public init(address: PeerAddress, port: UInt16) {
        self.address = address
        self.port = port
    }

    /// The compact form: 4 address bytes + 2 port bytes, network order, for `peers` (BEP 23); or 16 + 2 for
    /// `peers6` (BEP 7).
    public var compact: [UInt8] {
        address.bytes + [UInt8(port >> 8), UInt8(port & 0xFF)]
    }

    /// Reads a 6-byte (BEP 23) or 18-byte (BEP 7) compact entry.
    public init?(compact bytes: some Collection<UInt8>) {
        let array = Array(bytes)
        guard array.count == 6 || array.count == 18, let address = PeerAddress(bytes: array.dropLast(2)) else {
            return nil
        }
        self.init(address: address, port: UInt16(array[array.count - 2]) << 8 | UInt16(array[array.count - 1]))
    }

    public var description: String {
        address.isIPv4 ? "\(address):\(port)" : "[\(address)]:\(port)"
    }
}
