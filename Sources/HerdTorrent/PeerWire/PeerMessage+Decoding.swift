extension PeerMessage {
    /// Reads one message from its id and payload (the bytes after the length prefix and id). Payload sizes are exact
    /// for fixed-size messages; unknown ids become `.unknown` (BEP 3 asks to ignore them).
    public static func decode(id: UInt8, payload: ArraySlice<UInt8>) throws(PeerWireError) -> PeerMessage {
        func expect(_ size: Int) throws(PeerWireError) {
            guard payload.count == size else { throw .malformedPayload(id: id, payloadLength: payload.count) }
        }
        func uint32(_ offset: Int) -> UInt32 { payload.readUInt32(at: payload.startIndex + offset) }

        switch id {
        case ID.choke, ID.unchoke, ID.interested, ID.notInterested, ID.haveAll, ID.haveNone:
            try expect(0)
            switch id {
            case ID.choke: return .choke
            case ID.unchoke: return .unchoke
            case ID.interested: return .interested
            case ID.notInterested: return .notInterested
            case ID.haveAll: return .haveAll
            default: return .haveNone
            }
        case ID.have, ID.suggestPiece, ID.allowedFast:
            try expect(4)
            switch id {
            case ID.have: return .have(index: uint32(0))
            case ID.suggestPiece: return .suggestPiece(index: uint32(0))
            default: return .allowedFast(index: uint32(0))
            }
        case ID.request, ID.cancel, ID.rejectRequest:
            try expect(12)
            let (index, begin, length) = (uint32(0), uint32(4), uint32(8))
            switch id {
            case ID.request: return .request(index: index, begin: begin, length: length)
            case ID.cancel: return .cancel(index: index, begin: begin, length: length)
            default: return .rejectRequest(index: index, begin: begin, length: length)
            }
        case ID.bitfield:
            return .bitfield(Array(payload))
        case ID.piece:
            guard payload.count >= 8 else { throw .malformedPayload(id: id, payloadLength: payload.count) }
            return .piece(index: uint32(0), begin: uint32(4), block: Array(payload.dropFirst(8)))
        case ID.port:
            try expect(2)
            return .port(UInt16(payload[payload.startIndex]) << 8 | UInt16(payload[payload.startIndex + 1]))
        case ID.extended:
            guard let extendedID = payload.first else { throw .malformedPayload(id: id, payloadLength: 0) }
            return .extended(id: extendedID, payload: Array(payload.dropFirst()))
        default:
            return .unknown(id: id, payload: Array(payload))
        }
    }
}

extension Collection where Element == UInt8 {
    /// A big-endian 32-bit integer at `index` (BEP 3); the caller has checked that 4 bytes are there.
    func readUInt32(at index: Index) -> UInt32 {
        var value: UInt32 = 0
        var position = index
        for _ in 0..<4 {
            value = value << 8 | UInt32(self[position])
            position = self.index(after: position)
        }
        return value
    }
}
