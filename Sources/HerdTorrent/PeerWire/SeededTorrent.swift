/// The shape of a torrent whose data we hold completely: what a seeding connection needs to answer requests.
/// Pieces are `pieceLength` bytes except the last, which holds the rest (BEP 3).
public struct SeededTorrent: Sendable, Equatable {
    public let pieceLength: Int
    public let totalLength: Int64
    public let pieceCount: Int

    public init(pieceLength: Int, totalLength: Int64) {
        precondition(pieceLength > 0 && totalLength >= 0, "a torrent needs a positive piece length")
        self.pieceLength = pieceLength
        self.totalLength = totalLength
        self.pieceCount = Int((totalLength + Int64(pieceLength) - 1) / Int64(pieceLength))
    }

    public init(_ metainfo: Metainfo) {
        self.init(pieceLength: metainfo.pieceLength, totalLength: metainfo.length)
    }

    /// The size of piece `index` (the last one is shorter unless the length divides evenly); 0 past the end.
    public func pieceSize(at index: Int) -> Int {
        guard index >= 0, index < pieceCount else { return 0 }
        return Int(min(Int64(pieceLength), totalLength - Int64(index) * Int64(pieceLength)))
    }

    /// Where a block starts in the (single) file.
    public func fileOffset(of request: BlockRequest) -> Int64 {
        Int64(request.index) * Int64(pieceLength) + Int64(request.begin)
    }

    /// Whether the block lies inside its piece.
    public func contains(_ request: BlockRequest) -> Bool {
        let index = Int(request.index)
        guard index < pieceCount else { return false }
        return Int(request.begin) + Int(request.length) <= pieceSize(at: index)
    }
}
