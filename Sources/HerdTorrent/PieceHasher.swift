import Foundation
import HerdBencode
import HerdCrypto

/// Hashes a file into BitTorrent pieces (SHA-1 per piece, BEP 3) in one streaming pass.
public enum PieceHasher {
    public static func pieces(ofFileAt path: String, pieceLength: Int) throws -> (pieces: [UInt8], length: Int64) {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var pieces: [UInt8] = []
        var length: Int64 = 0
        while let chunk = try handle.read(upToCount: pieceLength), !chunk.isEmpty {
            pieces += Digest.sha1(chunk)
            length += Int64(chunk.count)
        }
        return (pieces, length)
    }

    /// A complete torrent for a file.
    public static func metainfo(
        forFileAt path: String, name: String, announceList: [[String]], urlList: [String], creationDate: Int64
    ) throws -> Metainfo {
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
        let pieceLength = Metainfo.pieceLength(forFileSize: size)
        let (pieces, length) = try self.pieces(ofFileAt: path, pieceLength: pieceLength)
        return Metainfo(
            name: name, length: length, pieceLength: pieceLength, pieces: pieces, announce: announceList.first?.first,
            announceList: announceList, urlList: urlList, createdBy: "Herd", creationDate: creationDate
        )
    }
}

extension Metainfo {
    /// The info-hash: SHA-1 of the bencoded `info` dictionary, in hex (BEP 3).
    public var infoHash: String { Digest.hex(Digest.sha1(info.encoded())) }
}
