import HerdBencode
import HerdCore

@testable import HerdTracker

/// Shared fixtures: the PeerTube test torrent's info-hash, peer ids, and a percent-encoder like a client's.
enum Fixture {
    static let peerTubeHash = InfoHash(hex: "0f498834733e8057ed5c6f2ee2b4efd8d84a76ee")!
    static let otherHash = InfoHash(hex: "aabbccddeeff00112233445566778899aabbccdd")!
    /// The PeerTube hash as a client percent-encodes it (unreserved bytes literal, the rest %XX).
    static let peerTubeHashQuery = "%0FI%884s%3E%80W%ED%5Co.%E2%B4%EF%D8%D8Jv%EE"

    static func peerID(_ n: Int) -> PeerID {
        let digits = String(n)
        return PeerID(bytes: Array(("-HD0001-" + String(repeating: "0", count: 12 - digits.count) + digits).utf8))!
    }

    static func address(_ text: String) -> PeerAddress { PeerAddress(text)! }

    static func endpoint(_ text: String, _ port: UInt16) -> PeerEndpoint {
        PeerEndpoint(address: address(text), port: port)
    }

    /// RFC 3986 percent-encoding of everything but unreserved characters, as BitTorrent clients do.
    static func percentEncode(_ bytes: some Sequence<UInt8>) -> String {
        var out = ""
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return out
    }

    static func query(
        hash: InfoHash = peerTubeHash, peer: PeerID, port: Int = 6881, left: Int = 1000, extra: String = ""
    ) -> String {
        "info_hash=\(percentEncode(hash.bytes))&peer_id=\(percentEncode(peer.bytes))&port=\(port)"
            + "&uploaded=0&downloaded=0&left=\(left)\(extra)"
    }

    static func decode(_ bytes: [UInt8]) throws -> Bencode {
        try BencodeDecoder().decode(bytes)
    }
}
