extension PeerMessage {
    public var encoded: [UInt8] {
        var output: [UInt8] = []
        encode(into: &output)
        return output
    }

    /// Appends the length prefix, the id and the payload (BEP 3).
    public func encode(into output: inout [UInt8]) {
        switch self {
        case .keepAlive: output.appendUInt32(0)
        case .choke: Self.appendEmpty(ID.choke, into: &output)
        case .unchoke: Self.appendEmpty(ID.unchoke, into: &output)
        case .interested: Self.appendEmpty(ID.interested, into: &output)
        case .notInterested: Self.appendEmpty(ID.notInterested, into: &output)
        case .haveAll: Self.appendEmpty(ID.haveAll, into: &output)
        case .haveNone: Self.appendEmpty(ID.haveNone, into: &output)
        case .have(let index): Self.appendIndex(ID.have, index, into: &output)
        case .suggestPiece(let index): Self.appendIndex(ID.suggestPiece, index, into: &output)
        case .allowedFast(let index): Self.appendIndex(ID.allowedFast, index, into: &output)
        case .request(let index, let begin, let length):
            Self.appendTriple(ID.request, index, begin, length, into: &output)
        case .cancel(let index, let begin, let length):
            Self.appendTriple(ID.cancel, index, begin, length, into: &output)
        case .rejectRequest(let index, let begin, let length):
            Self.appendTriple(ID.rejectRequest, index, begin, length, into: &output)
        case .bitfield(let bits): Self.appendBytes(ID.bitfield, bits, into: &output)
        case .piece(let index, let begin, let block):
            output.append(contentsOf: Self.pieceHeader(index: index, begin: begin, blockLength: block.count))
            output.append(contentsOf: block)
        case .port(let port):
            output.appendUInt32(3)
            output.append(ID.port)
            output.append(UInt8(truncatingIfNeeded: port >> 8))
            output.append(UInt8(truncatingIfNeeded: port))
        case .extended(let id, let payload):
            output.appendUInt32(UInt32(2 + payload.count))
            output.append(ID.extended)
            output.append(id)
            output.append(contentsOf: payload)
        case .unknown(let id, let payload): Self.appendBytes(id, payload, into: &output)
        }
    }

    /// The 13 bytes that precede a block in a `piece` message (BEP 3): length 9 + block length, id 7, index, begin.
    /// The block's bytes follow, so a handler can write them straight from a file.
    public static func pieceHeader(index: UInt32, begin: UInt32, blockLength: Int) -> [UInt8] {
        precondition(blockLength >= 0 && blockLength <= Int(UInt32.max) - 9, "block length out of range")
        var output: [UInt8] = []
        output.reserveCapacity(13)
        output.appendUInt32(UInt32(9 + blockLength))
        output.append(ID.piece)
        output.appendUInt32(index)
        output.appendUInt32(begin)
        return output
    }

    /// The header of the `piece` message answering `request`.
    public static func pieceHeader(for request: BlockRequest) -> [UInt8] {
        pieceHeader(index: request.index, begin: request.begin, blockLength: Int(request.length))
    }

    private static func appendEmpty(_ id: UInt8, into output: inout [UInt8]) {
        output.appendUInt32(1)
        output.append(id)
    }

    private static func appendIndex(_ id: UInt8, _ index: UInt32, into output: inout [UInt8]) {
        output.appendUInt32(5)
        output.append(id)
        output.appendUInt32(index)
    }

    private static func appendTriple(
        _ id: UInt8, _ index: UInt32, _ begin: UInt32, _ length: UInt32, into output: inout [UInt8]
    ) {
        output.appendUInt32(13)
        output.append(id)
        output.appendUInt32(index)
        output.appendUInt32(begin)
        output.appendUInt32(length)
    }

    private static func appendBytes(_ id: UInt8, _ bytes: [UInt8], into output: inout [UInt8]) {
        output.appendUInt32(UInt32(1 + bytes.count))
        output.append(id)
        output.append(contentsOf: bytes)
    }
}

extension Array where Element == UInt8 {
    /// Big-endian, as every peer-wire integer is (BEP 3).
    mutating func appendUInt32(_ value: UInt32) {
        append(UInt8(truncatingIfNeeded: value >> 24))
        append(UInt8(truncatingIfNeeded: value >> 16))
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value))
    }
}
