import Foundation
import HerdBencode

/// A single-file torrent (BEP 3), with tracker tiers (BEP 12) and web seeds (BEP 19).
public struct Metainfo: Sendable, Equatable {
    public var name: String
    public var length: Int64
    public var pieceLength: Int
    /// Concatenated 20-byte SHA-1 digests, one per piece.
    public var pieces: [UInt8]
    public var announce: String?
    /// BEP 12 tiers.
    public var announceList: [[String]]
    /// BEP 19 web seeds.
    public var urlList: [String]
    public var createdBy: String?
    public var creationDate: Int64?

    public init(
        name: String, length: Int64, pieceLength: Int, pieces: [UInt8], announce: String? = nil,
        announceList: [[String]] = [], urlList: [String] = [], createdBy: String? = "Herd", creationDate: Int64? = nil
    ) {
        self.name = name
        self.length = length
        self.pieceLength = pieceLength
        self.pieces = pieces
        self.announce = announce
        self.announceList = announceList
        self.urlList = urlList
        self.createdBy = createdBy
        self.creationDate = creationDate
    }

    public var pieceCount: Int { pieces.count / 20 }

    /// The `info` dictionary, whose SHA-1 is the info-hash.
    public var info: Bencode {
        .dict([
            ("length", .integer(length)), ("name", .string(name)), ("piece length", .integer(Int64(pieceLength))),
            ("pieces", .bytes(pieces)),
        ])
    }

    public var bencoded: Bencode {
        var pairs: [(String, Bencode)] = [("info", info)]
        if let announce { pairs.append(("announce", .string(announce))) }
        if !announceList.isEmpty {
            pairs.append(("announce-list", .list(announceList.map { .list($0.map(Bencode.string)) })))
        }
        if !urlList.isEmpty { pairs.append(("url-list", .list(urlList.map(Bencode.string)))) }
        if let createdBy { pairs.append(("created by", .string(createdBy))) }
        if let creationDate { pairs.append(("creation date", .integer(creationDate))) }
        return .dict(pairs)
    }

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case malformed(String)
        public var description: String {
            switch self {
            case .malformed(let what): "not a usable torrent: \(what)"
            }
        }
    }

    /// Reads a single-file torrent.
    public init(bencoded value: Bencode) throws(ParseError) {
        guard let info = value["info"] else { throw .malformed("no info dictionary") }
        guard let name = info["name"]?.text else { throw .malformed("no name") }
        guard let length = info["length"]?.integer, length >= 0 else {
            throw .malformed("no length (multi-file torrents are not used)")
        }
        guard let pieceLength = info["piece length"]?.integer, pieceLength > 0, pieceLength <= 1 << 26 else {
            throw .malformed("bad piece length")
        }
        guard let pieces = info["pieces"]?.bytes, pieces.count % 20 == 0 else { throw .malformed("bad pieces") }
        // Rounded up without `length + pieceLength - 1`, which a hostile length near Int64.max overflows.
        let expected = length / pieceLength + (length % pieceLength == 0 ? 0 : 1)
        guard Int64(pieces.count / 20) == expected else { throw .malformed("piece count does not match the length") }
        self.init(
            name: name, length: length, pieceLength: Int(pieceLength), pieces: pieces,
            announce: value["announce"]?.text,
            announceList: value["announce-list"]?.list?.compactMap { $0.list?.compactMap(\.text) } ?? [],
            urlList: value["url-list"]?.list?.compactMap(\.text) ?? value["url-list"]?.text.map { [$0] } ?? [],
            createdBy: value["created by"]?.text, creationDate: value["creation date"]?.integer
        )
    }

    /// PeerTube's piece length: `max(16 KiB, 2^round(log2(bytes / 1024)))`, about 1,000–2,000 pieces for big files.
    public static func pieceLength(forFileSize size: Int64) -> Int {
        guard size > 1024 else { return 16_384 }
        let exponent = Int((log2(Double(size) / 1024) + 0.5).rounded(.down))
        return max(16_384, 1 << min(exponent, 26))
    }
}
