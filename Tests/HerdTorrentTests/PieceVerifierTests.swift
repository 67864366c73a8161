import Foundation
import HerdTorrent
import Testing

/// What a mirror checks before it serves a copy: the torrent is the origin's, every piece of the file matches it.
@Suite("Piece verification")
struct PieceVerifierTests {
    /// A 300 KiB file of varied bytes and its torrent (16 KiB pieces: the last one is shorter).
    static func fixture() throws -> (bytes: [UInt8], metainfo: Metainfo, cleanup: () -> Void) {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<(300 * 1024 + 123)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("herd-pieces-\(UUID().uuidString)")
            .path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let metainfo = try PieceHasher.metainfo(
            forFileAt: path, name: "clip.mp4", announceList: [], urlList: [], creationDate: 0)
        return (bytes, metainfo, { try? FileManager.default.removeItem(atPath: path) })
    }

    @Test("the published bytes pass, fed in any chunking")
    func passes() throws {
        let (bytes, metainfo, cleanup) = try Self.fixture()
        defer { cleanup() }
        for chunk in [1, 1000, 16 * 1024, 50_000, bytes.count] {
            var verifier = try PieceVerifier(metainfo: metainfo, expectedInfoHash: metainfo.infoHash.uppercased())
            var start = 0
            while start < bytes.count {
                try verifier.consume(bytes[start..<min(start + chunk, bytes.count)])
                start += chunk
            }
            try verifier.finish()
            #expect(verifier.received == Int64(bytes.count))
        }
    }

    @Test("a changed byte, a missing or extra tail, or another torrent is caught")
    func catches() throws {
        let (bytes, metainfo, cleanup) = try Self.fixture()
        defer { cleanup() }
        var tampered = bytes
        tampered[5 * 16 * 1024 + 7] ^= 0x01
        var verifier = try PieceVerifier(metainfo: metainfo, expectedInfoHash: metainfo.infoHash)
        #expect(throws: PieceVerifier.Failure.pieceMismatch(index: 5)) { try verifier.consume(tampered) }

        var lastPiece = bytes
        lastPiece[bytes.count - 1] ^= 0xFF
        var last = try PieceVerifier(metainfo: metainfo, expectedInfoHash: metainfo.infoHash)
        try last.consume(lastPiece)
        #expect(throws: PieceVerifier.Failure.pieceMismatch(index: metainfo.pieceCount - 1)) { try last.finish() }

        var short = try PieceVerifier(metainfo: metainfo, expectedInfoHash: metainfo.infoHash)
        try short.consume(bytes.dropLast(10))
        #expect(throws: PieceVerifier.Failure.tooShort(expected: Int64(bytes.count), got: Int64(bytes.count - 10))) {
            try short.finish()
        }
        var long = try PieceVerifier(metainfo: metainfo, expectedInfoHash: metainfo.infoHash)
        #expect(throws: PieceVerifier.Failure.tooLong) { try long.consume(bytes + [0]) }

        var other = metainfo
        other.name = "another.mp4"  // another info dictionary, so another info-hash
        #expect(throws: PieceVerifier.Failure.wrongInfoHash(expected: metainfo.infoHash, got: other.infoHash)) {
            try PieceVerifier(metainfo: other, expectedInfoHash: metainfo.infoHash)
        }
    }
}
