import HerdTorrent
import Testing

@Suite("Peer wire codec (BEP 3, 5, 6, 10)")
struct PeerWireCodecTests {
    static let infoHash = [UInt8](repeating: 0xAB, count: 20)
    static let peerID = Array("-HD0001-abcdefghijkl".utf8)

    static let allMessages: [PeerMessage] = [
        .keepAlive, .choke, .unchoke, .interested, .notInterested, .have(index: 0x0102_0304),
        .bitfield([0xFF, 0xC0]), .bitfield([]), .request(index: 1, begin: 16_384, length: 16_384),
        .piece(index: 2, begin: 0, block: [1, 2, 3, 4, 5]), .piece(index: 3, begin: 7, block: []),
        .cancel(index: 1, begin: 16_384, length: 16_384), .port(6881), .suggestPiece(index: 9), .haveAll, .haveNone,
        .rejectRequest(index: 4, begin: 0, length: 100), .allowedFast(index: UInt32.max),
        .extended(id: 0, payload: Array("d1:v4:Teste".utf8)), .extended(id: 3, payload: []),
        .unknown(id: 0x42, payload: [9, 8, 7]), .unknown(id: 0xFF, payload: []),
    ]

    static func decodeAll(_ chunks: [[UInt8]], expectHandshake: Bool = true) throws -> [PeerWireEvent] {
        var decoder = PeerWireDecoder(expectHandshake: expectHandshake)
        var events: [PeerWireEvent] = []
        for chunk in chunks {
            decoder.feed(chunk)
            while let event = try decoder.next() { events.append(event) }
        }
        #expect(decoder.bufferedByteCount == 0)
        return events
    }

    @Test("handshake encodes to 68 exact bytes with the BEP 10 and BEP 6 bits, and decodes back")
    func handshakeBytes() throws {
        let handshake = PeerHandshake(
            infoHash: Self.infoHash, peerID: Self.peerID, extensionProtocol: true, fastExtension: true)
        let bytes = handshake.encoded
        #expect(bytes.count == 68)
        #expect(bytes[0] == 19)
        #expect(Array(bytes[1..<20]) == Array("BitTorrent protocol".utf8))
        #expect(Array(bytes[20..<28]) == [0, 0, 0, 0, 0, 0x10, 0, 0x04])
        #expect(Array(bytes[28..<48]) == Self.infoHash)
        #expect(Array(bytes[48..<68]) == Self.peerID)
        let decoded = try PeerHandshake(decoding: bytes)
        #expect(decoded == handshake)
        #expect(decoded.supportsExtensionProtocol && decoded.supportsFastExtension && !decoded.supportsDHT)

        let plain = try PeerHandshake(decoding: PeerHandshake(infoHash: Self.infoHash, peerID: Self.peerID).encoded)
        #expect(!plain.supportsExtensionProtocol && !plain.supportsFastExtension)
        var dht = bytes
        dht[27] = 0x01
        #expect(try PeerHandshake(decoding: dht).supportsDHT)
        #expect(!(try PeerHandshake(decoding: dht).supportsFastExtension))
    }

    @Test("a handshake with the wrong size or protocol string is refused")
    func badHandshake() {
        let bytes = PeerHandshake(infoHash: Self.infoHash, peerID: Self.peerID).encoded
        #expect(throws: PeerWireError.badHandshakeLength(67)) { try PeerHandshake(decoding: bytes.dropLast()) }
        var lower = bytes
        lower[1] = UInt8(ascii: "b")
        #expect(throws: PeerWireError.badProtocolString) { try PeerHandshake(decoding: lower) }
    }

    @Test("messages encode to the exact bytes of BEP 3, BEP 5, BEP 6 and BEP 10")
    func exactBytes() {
        #expect(PeerMessage.keepAlive.encoded == [0, 0, 0, 0])
        #expect(PeerMessage.choke.encoded == [0, 0, 0, 1, 0])
        #expect(PeerMessage.unchoke.encoded == [0, 0, 0, 1, 1])
        #expect(PeerMessage.interested.encoded == [0, 0, 0, 1, 2])
        #expect(PeerMessage.notInterested.encoded == [0, 0, 0, 1, 3])
        #expect(PeerMessage.have(index: 0x0102_0304).encoded == [0, 0, 0, 5, 4, 1, 2, 3, 4])
        #expect(PeerMessage.bitfield([0xFF, 0xC0]).encoded == [0, 0, 0, 3, 5, 0xFF, 0xC0])
        #expect(
            PeerMessage.request(index: 1, begin: 0x4000, length: 0x4000).encoded == [
                0, 0, 0, 13, 6, 0, 0, 0, 1, 0, 0, 0x40, 0, 0, 0, 0x40, 0,
            ])
        #expect(
            PeerMessage.cancel(index: 1, begin: 2, length: 3).encoded == [
                0, 0, 0, 13, 8, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3,
            ]
        )
        #expect(PeerMessage.port(6881).encoded == [0, 0, 0, 3, 9, 0x1A, 0xE1])
        #expect(PeerMessage.suggestPiece(index: 5).encoded == [0, 0, 0, 5, 0x0D, 0, 0, 0, 5])
        #expect(PeerMessage.haveAll.encoded == [0, 0, 0, 1, 0x0E])
        #expect(PeerMessage.haveNone.encoded == [0, 0, 0, 1, 0x0F])
        #expect(
            PeerMessage.rejectRequest(index: 1, begin: 2, length: 3).encoded == [
                0, 0, 0, 13, 0x10, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3,
            ])
        #expect(PeerMessage.allowedFast(index: 7).encoded == [0, 0, 0, 5, 0x11, 0, 0, 0, 7])
        #expect(PeerMessage.extended(id: 0, payload: [0x64, 0x65]).encoded == [0, 0, 0, 4, 20, 0, 0x64, 0x65])
        #expect(PeerMessage.unknown(id: 0x42, payload: [1]).encoded == [0, 0, 0, 2, 0x42, 1])
        #expect(
            PeerMessage.piece(index: 1, begin: 2, block: [0xAA, 0xBB]).encoded == [
                0, 0, 0, 11, 7, 0, 0, 0, 1, 0, 0, 0, 2, 0xAA, 0xBB,
            ])
    }

    @Test("the piece header is the 13 bytes before the block")
    func pieceHeader() {
        let block = [UInt8](repeating: 0x5A, count: 16_384)
        let header = PeerMessage.pieceHeader(index: 3, begin: 0x8000, blockLength: block.count)
        #expect(header == [0, 0, 0x40, 0x09, 7, 0, 0, 0, 3, 0, 0, 0x80, 0])
        #expect(header + block == PeerMessage.piece(index: 3, begin: 0x8000, block: block).encoded)
        let request = BlockRequest(index: 3, begin: 0x8000, length: 16_384)
        #expect(PeerMessage.pieceHeader(for: request) == header)
    }

    @Test("every message round-trips, fed all at once and byte by byte with identical events")
    func roundTrip() throws {
        let handshake = PeerHandshake(
            infoHash: Self.infoHash, peerID: Self.peerID, extensionProtocol: true, fastExtension: false)
        var stream = handshake.encoded
        for message in Self.allMessages { message.encode(into: &stream) }
        let expected = [PeerWireEvent.handshake(handshake)] + Self.allMessages.map(PeerWireEvent.message)

        let whole = try Self.decodeAll([stream])
        let byByte = try Self.decodeAll(stream.map { [$0] })
        let inSevens = try Self.decodeAll(
            stride(from: 0, to: stream.count, by: 7).map {
                Array(stream[$0..<min($0 + 7, stream.count)])
            })
        #expect(whole == expected)
        #expect(byByte == expected)
        #expect(inSevens == expected)
    }

    @Test("a truncated handshake or message yields no event, not an error, until the rest arrives")
    func truncated() throws {
        var decoder = PeerWireDecoder()
        let handshake = PeerHandshake(infoHash: Self.infoHash, peerID: Self.peerID).encoded
        decoder.feed(handshake.dropLast())
        #expect(try decoder.next() == nil)
        decoder.feed(handshake.suffix(1))
        #expect(try decoder.next() == .handshake(try PeerHandshake(decoding: handshake)))
        #expect(try decoder.next() == nil)

        let request = PeerMessage.request(index: 1, begin: 2, length: 3).encoded
        decoder.feed(request.prefix(3))
        #expect(try decoder.next() == nil)
        decoder.feed(request[3..<16])
        #expect(try decoder.next() == nil)
        #expect(decoder.bufferedByteCount == 16)
        decoder.feed(request.suffix(1))
        #expect(try decoder.next() == .message(.request(index: 1, begin: 2, length: 3)))
        #expect(try decoder.next() == nil)
    }

    @Test("an oversized length fails as soon as the prefix is read, and the failure sticks")
    func tooLong() throws {
        var decoder = PeerWireDecoder()
        decoder.feed(PeerHandshake(infoHash: Self.infoHash, peerID: Self.peerID).encoded)
        _ = try decoder.next()
        decoder.feed([0, 1, 0])
        #expect(try decoder.next() == nil)
        decoder.feed([0, 5])  // 65,536 bytes announced, one byte of it here.
        let limit = PeerWireDecoder.defaultMaxMessageLength
        #expect(limit == 32_781)
        #expect(throws: PeerWireError.messageTooLong(length: 65_536, limit: limit)) { try decoder.next() }
        decoder.feed(PeerMessage.keepAlive.encoded)
        #expect(throws: PeerWireError.messageTooLong(length: 65_536, limit: limit)) { try decoder.next() }

        var small = PeerWireDecoder(maxMessageLength: 5, expectHandshake: false)
        small.feed(PeerMessage.have(index: 1).encoded)
        #expect(try small.next() == .message(.have(index: 1)))
        small.feed([0, 0, 0, 6])
        #expect(throws: PeerWireError.messageTooLong(length: 6, limit: 5)) { try small.next() }
        // The largest value of the prefix does not overflow anything.
        var huge = PeerWireDecoder(expectHandshake: false)
        huge.feed([0xFF, 0xFF, 0xFF, 0xFF])
        #expect(throws: PeerWireError.messageTooLong(length: 0xFFFF_FFFF, limit: limit)) { try huge.next() }
    }

    @Test("the default limit fits a bitfield for 2^17 pieces")
    func bitfieldFits() throws {
        let bits = [UInt8](repeating: 0xFF, count: (1 << 17) / 8)
        let events = try Self.decodeAll([PeerMessage.bitfield(bits).encoded], expectHandshake: false)
        #expect(events == [.message(.bitfield(bits))])
    }

    @Test("a wrong protocol string fails at the first wrong byte")
    func badProtocolString() throws {
        var decoder = PeerWireDecoder()
        decoder.feed([19] + Array("BitTorrent".utf8))
        #expect(try decoder.next() == nil)
        decoder.feed(Array("_".utf8))
        #expect(throws: PeerWireError.badProtocolString) { try decoder.next() }

        var http = PeerWireDecoder()
        http.feed(Array("GET / HTTP/1.1\r\n".utf8))
        #expect(throws: PeerWireError.badProtocolString) { try http.next() }

        var short = PeerWireDecoder()
        short.feed([18])
        #expect(throws: PeerWireError.badProtocolString) { try short.next() }
    }

    @Test(
        "fixed-size messages with the wrong payload size are malformed",
        arguments: [
            ([0, 0, 0, 4, 4, 0, 0, 1], PeerWireError.malformedPayload(id: 4, payloadLength: 3)),
            ([0, 0, 0, 6, 4, 0, 0, 0, 1, 2], .malformedPayload(id: 4, payloadLength: 5)),
            ([0, 0, 0, 2, 2, 0], .malformedPayload(id: 2, payloadLength: 1)),
            ([0, 0, 0, 2, 0x0E, 0], .malformedPayload(id: 0x0E, payloadLength: 1)),
            ([0, 0, 0, 12, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], .malformedPayload(id: 6, payloadLength: 11)),
            ([0, 0, 0, 14, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], .malformedPayload(id: 8, payloadLength: 13)),
            ([0, 0, 0, 12, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], .malformedPayload(id: 0x10, payloadLength: 11)),
            ([0, 0, 0, 8, 7, 0, 0, 0, 0, 0, 0, 0], .malformedPayload(id: 7, payloadLength: 7)),
            ([0, 0, 0, 2, 9, 0], .malformedPayload(id: 9, payloadLength: 1)),
            ([0, 0, 0, 1, 20], .malformedPayload(id: 20, payloadLength: 0)),
            ([0, 0, 0, 4, 0x11, 0, 0, 0], .malformedPayload(id: 0x11, payloadLength: 3)),
        ] as [([UInt8], PeerWireError)])
    func malformed(bytes: [UInt8], error: PeerWireError) {
        var decoder = PeerWireDecoder(expectHandshake: false)
        decoder.feed(bytes)
        #expect(throws: error) { try decoder.next() }
    }

    @Test("many small messages fed in odd chunks decode in order with a bounded buffer")
    func manyMessages() throws {
        var stream: [UInt8] = []
        for index in 0..<20_000 { PeerMessage.have(index: UInt32(index)).encode(into: &stream) }
        var decoder = PeerWireDecoder(expectHandshake: false)
        var indices: [UInt32] = []
        var position = 0
        while position < stream.count {
            let end = min(position + 13, stream.count)
            decoder.feed(stream[position..<end])
            position = end
            while case .message(.have(let index)) = try decoder.next() { indices.append(index) }
            #expect(decoder.bufferedByteCount < 9)
        }
        #expect(indices == (0..<20_000).map(UInt32.init))
    }

    @Test("piece geometry: the last piece is shorter, offsets are in the file")
    func geometry() {
        let torrent = SeededTorrent(pieceLength: 32_768, totalLength: 9 * 32_768 + 1_000)
        #expect(torrent.pieceCount == 10)
        #expect(torrent.pieceSize(at: 0) == 32_768)
        #expect(torrent.pieceSize(at: 9) == 1_000)
        #expect(torrent.pieceSize(at: 10) == 0)
        #expect(SeededTorrent(pieceLength: 16_384, totalLength: 32_768).pieceSize(at: 1) == 16_384)
        #expect(SeededTorrent(pieceLength: 16_384, totalLength: 0).pieceCount == 0)
        #expect(torrent.fileOffset(of: BlockRequest(index: 9, begin: 100, length: 10)) == 9 * 32_768 + 100)
        #expect(torrent.contains(BlockRequest(index: 9, begin: 0, length: 1_000)))
        #expect(!torrent.contains(BlockRequest(index: 9, begin: 1, length: 1_000)))
        #expect(!torrent.contains(BlockRequest(index: 10, begin: 0, length: 1)))
        #expect(!torrent.contains(BlockRequest(index: 0, begin: UInt32.max, length: UInt32.max)))
    }
}
