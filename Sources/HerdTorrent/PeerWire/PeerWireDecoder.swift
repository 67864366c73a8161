/// What the decoder read from the stream: first the handshake, then messages.
public enum PeerWireEvent: Sendable, Equatable {
    case handshake(PeerHandshake)
    case message(PeerMessage)
}

/// An incremental peer-wire reader (BEP 3). Feed it chunks as they arrive, in any sizes, then call `next()` until it
/// returns nil: a partial handshake or message yields nil, not an error. The first event is the 68-byte handshake,
/// whose protocol string is checked byte by byte as it arrives; later events are length-prefixed messages.
///
/// A length prefix above `maxMessageLength` fails as soon as its 4 bytes are read, without waiting for the body.
/// After an error the decoder stays failed and `next()` throws the same error again.
public struct PeerWireDecoder: Sendable {
    /// 32 KiB + 13: a 16 KiB block plus its header twice over, and a bitfield for 2^17 pieces (16 KiB + 1).
    public static let defaultMaxMessageLength = 32 * 1024 + 13

    /// The largest accepted length prefix (id + payload). May be raised once the torrent is known.
    public var maxMessageLength: Int
    public private(set) var handshakeReceived: Bool

    private var buffer: [UInt8] = []
    /// Consumed bytes stay in front of `readIndex` until a compaction, so that reading is linear overall.
    private var readIndex = 0
    private var failure: PeerWireError?

    /// Bytes consumed from the front before they are worth moving out of the buffer.
    private static let compactionThreshold = 4096

    /// - Parameter expectHandshake: false to read messages only (e.g. after another layer took the handshake).
    public init(maxMessageLength: Int = defaultMaxMessageLength, expectHandshake: Bool = true) {
        self.maxMessageLength = maxMessageLength
        self.handshakeReceived = !expectHandshake
    }

    /// Bytes received but not yet returned as events.
    public var bufferedByteCount: Int { buffer.count - readIndex }

    public mutating func feed(_ bytes: some Collection<UInt8>) {
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            readIndex = 0
        } else if readIndex >= Self.compactionThreshold, readIndex * 2 >= buffer.count {
            buffer.removeSubrange(0..<readIndex)
            readIndex = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete event, nil when more bytes are needed.
    public mutating func next() throws(PeerWireError) -> PeerWireEvent? {
        if let failure { throw failure }
        let available = buffer.count - readIndex
        if !handshakeReceived {
            let checked = min(available, 1 + PeerHandshake.protocolName.count)
            for offset in 0..<checked {
                let expected =
                    offset == 0 ? UInt8(PeerHandshake.protocolName.count) : PeerHandshake.protocolName[offset - 1]
                guard buffer[readIndex + offset] == expected else { throw fail(.badProtocolString) }
            }
            guard available >= PeerHandshake.byteCount else { return nil }
            let end = readIndex + PeerHandshake.byteCount
            let handshake: PeerHandshake
            do {
                handshake = try PeerHandshake(decoding: buffer[readIndex..<end])
            } catch {
                throw fail(error)
            }
            readIndex = end
            handshakeReceived = true
            return .handshake(handshake)
        }
        guard available >= 4 else { return nil }
        let length = Int(buffer.readUInt32(at: readIndex))
        guard length <= maxMessageLength else { throw fail(.messageTooLong(length: length, limit: maxMessageLength)) }
        guard available >= 4 + length else { return nil }
        let start = readIndex + 4
        guard length > 0 else {
            readIndex = start
            return .message(.keepAlive)
        }
        let message: PeerMessage
        do {
            message = try PeerMessage.decode(id: buffer[start], payload: buffer[(start + 1)..<(start + length)])
        } catch {
            throw fail(error)
        }
        readIndex = start + length
        return .message(message)
    }

    private mutating func fail(_ error: PeerWireError) -> PeerWireError {
        failure = error
        return error
    }
}
