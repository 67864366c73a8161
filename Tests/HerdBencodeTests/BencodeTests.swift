import Foundation
import HerdBencode
import HerdCrypto
import Testing

@Suite("Bencode (BEP 3)")
struct BencodeTests {
    /// `$HERD_VECTORS` (set by `make test`), else `../shared/vectors` beside the repository.
    static let torrentPath =
        (ProcessInfo.processInfo.environment["HERD_VECTORS"].map { URL(fileURLWithPath: $0) }
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/vectors"))
        .appendingPathComponent("peertube/media/video-720p.torrent").path

    @Test("PeerTube's torrent round-trips byte for byte and has the known info-hash")
    func realTorrent() throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Self.torrentPath)))
        let value = try BencodeDecoder().decode(bytes)
        #expect(value.encoded() == bytes)
        let info = try #require(value["info"])
        #expect(Digest.hex(Digest.sha1(info.encoded())) == "0f498834733e8057ed5c6f2ee2b4efd8d84a76ee")
        let range = try #require(try BencodeDecoder().rawRange(ofKey: "info", in: bytes))
        #expect(Digest.hex(Digest.sha1(bytes[range])) == "0f498834733e8057ed5c6f2ee2b4efd8d84a76ee")
        #expect(info["length"]?.integer == 1_810_528)
        #expect(info["piece length"]?.integer == 16_384)
        #expect(info["name"]?.text == "你好 世界 720p.mp4")
        #expect((info["pieces"]?.bytes?.count ?? 0) == 111 * 20)
        #expect(value["created by"]?.text == "PeerTube")
        #expect(value["announce"]?.text == "wss://peertube2.cpy.re:443/tracker/socket")
    }

    @Test(
        "canonical values decode",
        arguments: [
            ("i0e", Bencode.integer(0)), ("i-42e", .integer(-42)), ("i9223372036854775807e", .integer(.max)),
            ("0:", .bytes([])), ("4:spam", .string("spam")), ("le", .list([])), ("de", .dictionary([])),
            ("l4:spami42ee", .list([.string("spam"), .integer(42)])),
            ("d3:bar4:spam3:fooi42ee", .dict([("foo", .integer(42)), ("bar", .string("spam"))])),
        ])
    func canonical(text: String, expected: Bencode) throws {
        #expect(try BencodeDecoder().decode(Array(text.utf8)) == expected)
        #expect(String(decoding: expected.encoded(), as: UTF8.self) == text)
    }

    @Test(
        "malformed and non-canonical inputs are refused",
        arguments: [
            "", "i", "ie", "i-e", "i-0e", "i03e", "i1x2e", "i9223372036854775808e", "i12", "03:abc", "5:abc", "4spam",
            "-1:a", "l", "li1e", "d", "d3:fooe", "di1ei2ee", "d3:foo1:a3:bar1:be", "d3:foo1:a3:foo1:be", "i1ei2e",
            "4:spamX", "x", "l4:spam", "9999999999999999999999:a",
        ])
    func refused(text: String) {
        #expect(throws: BencodeDecoder.DecodeError.self, "\(text)") { try BencodeDecoder().decode(Array(text.utf8)) }
    }

    @Test("nesting is limited")
    func depth() throws {
        let deep = Array(String(repeating: "l", count: 100).utf8) + Array(String(repeating: "e", count: 100).utf8)
        #expect(throws: BencodeDecoder.DecodeError.self) { try BencodeDecoder(maxDepth: 64).decode(deep) }
        #expect(throws: Never.self) { try BencodeDecoder(maxDepth: 200).decode(deep) }
    }

    @Test("seeded random values round-trip")
    func randomRoundTrip() throws {
        var generator = SeededGenerator(seed: 0x4865_7264)
        for _ in 0..<500 {
            let value = Self.randomValue(depth: 0, using: &generator)
            let bytes = value.encoded()
            #expect(try BencodeDecoder().decode(bytes) == value)
            #expect(try BencodeDecoder().decode(bytes).encoded() == bytes)
        }
    }

    static func randomValue(depth: Int, using generator: inout SeededGenerator) -> Bencode {
        let kind = depth > 4 ? Int.random(in: 0...1, using: &generator) : Int.random(in: 0...3, using: &generator)
        switch kind {
        case 0: return .integer(Int64.random(in: -1_000_000...1_000_000, using: &generator))
        case 1:
            return .bytes(
                (0..<Int.random(in: 0...20, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator)
                })
        case 2:
            return .list(
                (0..<Int.random(in: 0...5, using: &generator)).map { _ in
                    randomValue(depth: depth + 1, using: &generator)
                })
        default:
            var pairs: [String: Bencode] = [:]
            for _ in 0..<Int.random(in: 0...5, using: &generator) {
                pairs["k\(Int.random(in: 0...50, using: &generator))"] = randomValue(
                    depth: depth + 1, using: &generator)
            }
            return .dict(pairs.map { ($0.key, $0.value) })
        }
    }
}

/// A deterministic generator (SplitMix64), so the random round trip is the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
