/// Bitfield helpers (BEP 3): one bit per piece, the high bit of byte 0 is piece 0, spare bits at the end are zero.
enum PieceBitfield {
    static func byteCount(pieceCount: Int) -> Int { (pieceCount + 7) / 8 }

    /// Every piece set, spare bits cleared.
    static func full(pieceCount: Int) -> [UInt8] {
        var bits = [UInt8](repeating: 0xFF, count: byteCount(pieceCount: pieceCount))
        let spare = bits.count * 8 - pieceCount
        if spare > 0 { bits[bits.count - 1] = 0xFF << UInt8(spare) }
        return bits
    }

    /// Right length, and no bit set past the last piece.
    static func isValid(_ bits: [UInt8], pieceCount: Int) -> Bool {
        guard bits.count == byteCount(pieceCount: pieceCount) else { return false }
        let spare = bits.count * 8 - pieceCount
        guard spare > 0, let last = bits.last else { return true }
        return last & ~(0xFF << UInt8(spare)) == 0
    }

    static func setCount(_ bits: [UInt8]) -> Int { bits.reduce(0) { $0 + $1.nonzeroBitCount } }

    static func contains(_ bits: [UInt8], _ index: Int) -> Bool { bits[index / 8] & (0x80 >> UInt8(index % 8)) != 0 }

    static func insert(_ index: Int, into bits: inout [UInt8]) { bits[index / 8] |= 0x80 >> UInt8(index % 8) }
}
