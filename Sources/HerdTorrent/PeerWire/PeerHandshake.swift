/// The peer-wire handshake (BEP 3): pstrlen 19, "BitTorrent protocol", 8 reserved bytes, the 20-byte info-hash and
/// the 20-byte peer id — 68 bytes in all.
public struct PeerHandshake: Sendable, Equatable {
    public static let protocolName: [UInt8] = Array("BitTorrent protocol".utf8)
    public static let byteCount = 68

    /// 8 bytes of extension flags.
    public var reserved: [UInt8]
    /// 20 bytes: SHA-1 of the info dictionary.
    public var infoHash: [UInt8]
    /// 20 bytes.
    public var peerID: [UInt8]

    public init(infoHash: [UInt8], peerID: [UInt8], reserved: [UInt8] = [UInt8](repeating: 0, count: 8)) {
        precondition(infoHash.count == 20, "an info-hash is 20 bytes")
        precondition(peerID.count == 20, "a peer id is 20 bytes")
        precondition(reserved.count == 8, "the reserved field is 8 bytes")
        self.infoHash = infoHash
        self.peerID = peerID
        self.reserved = reserved
    }

    public init(infoHash: [UInt8], peerID: [UInt8], extensionProtocol: Bool, fastExtension: Bool) {
        self.init(infoHash: infoHash, peerID: peerID)
        supportsExtensionProtocol = extensionProtocol
        supportsFastExtension = fastExtension
    }

    /// BEP 10: reserved byte 5, bit 0x10.
    public var supportsExtensionProtocol: Bool {
        get { reserved[5] & 0x10 != 0 }
        set { newValue ? (reserved[5] |= 0x10) : (reserved[5] &= ~0x10) }
    }

    /// BEP 6: reserved byte 7, bit 0x04.
    public var supportsFastExtension: Bool {
        get { reserved[7] & 0x04 != 0 }
        set { newValue ? (reserved[7] |= 0x04) : (reserved[7] &= ~0x04) }
    }

    /// BEP 5 (DHT): reserved byte 7, bit 0x01. Herd does not run a DHT node and never sets it.
    public var supportsDHT: Bool { reserved[7] & 0x01 != 0 }

    public func encode(into output: inout [UInt8]) {
        output.append(UInt8(Self.protocolName.count))
        output.append(contentsOf: Self.protocolName)
        output.append(contentsOf: reserved)
        output.append(contentsOf: infoHash)
        output.append(contentsOf: peerID)
    }

    public var encoded: [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(Self.byteCount)
        encode(into: &output)
        return output
    }

    /// Reads exactly 68 bytes; the protocol string must match exactly (BEP 3).
    public init(decoding bytes: some Collection<UInt8>) throws(PeerWireError) {
        let bytes = Array(bytes)
        guard bytes.count == Self.byteCount else { throw .badHandshakeLength(bytes.count) }
        guard bytes[0] == 19, Array(bytes[1..<20]) == Self.protocolName else { throw .badProtocolString }
        self.init(infoHash: Array(bytes[28..<48]), peerID: Array(bytes[48..<68]), reserved: Array(bytes[20..<28]))
    }
}
