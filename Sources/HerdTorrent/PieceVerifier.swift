import HerdCrypto

/// Checks a file against a torrent as its bytes arrive (BEP 3: SHA-1 per piece), after checking that the torrent is
/// the one the origin named (its info-hash, from the video's magnet). A mirror copying a video stores only what
/// the origin published: one wrong byte fails the piece it is in.
public struct PieceVerifier: Sendable {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case wrongInfoHash(expected: String, got: String)
        case pieceMismatch(index: Int)
        case tooLong
        case tooShort(expected: Int64, got: Int64)

        public var description: String {
            switch self {
            case .wrongInfoHash(let expected, let got): "the torrent's info-hash is \(got), not \(expected)"
            case .pieceMismatch(let index): "piece \(index) does not match the torrent's hash"
            case .tooLong: "the file is longer than the torrent says"
            case .tooShort(let expected, let got): "the file has \(got) bytes, the torrent says \(expected)"
            }
        }
    }

    public let metainfo: Metainfo
    private var pending: [UInt8] = []
    private var piece = 0
    public private(set) var received: Int64 = 0

    public init(metainfo: Metainfo, expectedInfoHash: String) throws(Failure) {
        try self.init(metainfo: metainfo, infoHash: metainfo.infoHash, expectedInfoHash: expectedInfoHash)
    }

    /// Checks a fetched torrent by the hash of its info dictionary as encoded.
    public init(torrent: TorrentFile, expectedInfoHash: String) throws(Failure) {
        try self.init(metainfo: torrent.metainfo, infoHash: torrent.infoHash, expectedInfoHash: expectedInfoHash)
    }

    init(metainfo: Metainfo, infoHash got: String, expectedInfoHash: String) throws(Failure) {
        guard got == expectedInfoHash.lowercased() else { throw .wrongInfoHash(expected: expectedInfoHash, got: got) }
        self.metainfo = metainfo
        pending.reserveCapacity(metainfo.pieceLength)
    }

    /// Takes the next bytes of the file, checking every piece they complete.
    public mutating func consume(_ bytes: some Collection<UInt8>) throws(Failure) {
        guard received + Int64(bytes.count) <= metainfo.length else { throw .tooLong }
        received += Int64(bytes.count)
        var rest = bytes[...]
        while !rest.isEmpty {
            let take = min(metainfo.pieceLength - pending.count, rest.count)
            pending.append(contentsOf: rest.prefix(take))
            rest = rest.dropFirst(take)
            if pending.count == metainfo.pieceLength { try check() }
        }
    }

    /// After the last bytes: the file must be whole, and its last (shorter) piece right.
    public mutating func finish() throws(Failure) {
        guard received == metainfo.length else { throw .tooShort(expected: metainfo.length, got: received) }
        if !pending.isEmpty { try check() }
    }

    private mutating func check() throws(Failure) {
        let expected = metainfo.pieces[(piece * 20)..<(piece * 20 + 20)]
        guard Digest.sha1(pending).elementsEqual(expected) else { throw .pieceMismatch(index: piece) }
        piece += 1
        pending.removeAll(keepingCapacity: true)
    }
}
