import HerdBencode
import HerdCrypto

/// A .torrent as fetched: its bytes, what they describe, and the info-hash of the `info` dictionary exactly as it
/// was encoded (BEP 3), so that keys Herd does not read still count.
public struct TorrentFile: Sendable {
    public let bytes: [UInt8]
    public let metainfo: Metainfo
    /// Lowercase hex SHA-1 of the raw `info` dictionary.
    public let infoHash: String

    public init(bytes: [UInt8]) throws(Metainfo.ParseError) {
        let decoder = BencodeDecoder()
        let value: Bencode
        let range: Range<Int>?
        do {
            value = try decoder.decode(bytes)
            range = try decoder.rawRange(ofKey: "info", in: bytes)
        } catch {
            throw .malformed("\(error)")
        }
        guard let range else { throw .malformed("no info dictionary") }
        self.bytes = bytes
        metainfo = try Metainfo(bencoded: value)
        infoHash = Digest.hex(Digest.sha1(Array(bytes[range])))
    }

    /// The same torrent with `url-list` (BEP 19 web seeds) replaced by `seeds`: the info dictionary, and so the
    /// info-hash, are untouched (the strict decoder took only canonical bytes, which encode back the same).
    public func withWebSeeds(_ seeds: [String]) -> [UInt8] {
        guard case .dictionary(var pairs) = (try? BencodeDecoder().decode(bytes)) ?? .integer(0) else { return bytes }
        let key = Array("url-list".utf8)
        pairs.removeAll { $0.key == key }
        if !seeds.isEmpty {
            pairs.append((key: key, value: .list(seeds.map(Bencode.string))))
            pairs.sort { $0.key.lexicographicallyPrecedes($1.key) }
        }
        return Bencode.dictionary(pairs).encoded()
    }
}
