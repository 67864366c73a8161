/// A peer-wire message after the handshake (BEP 3): a 4-byte big-endian length, then a 1-byte id and its payload.
/// Integers are on the wire as 4-byte big-endian values, kept here as `UInt32` so that every message round-trips.
public enum PeerMessage: Sendable, Equatable {
    /// Length 0, no id (BEP 3).
    case keepAlive
    case choke
    case unchoke
    case interested
    case notInterested
    case have(index: UInt32)
    /// One bit per piece, high bit first; spare bits of the last byte are zero (BEP 3).
    case bitfield([UInt8])
    case request(index: UInt32, begin: UInt32, length: UInt32)
    case piece(index: UInt32, begin: UInt32, block: [UInt8])
    case cancel(index: UInt32, begin: UInt32, length: UInt32)
    /// The sender's DHT port (BEP 5).
    case port(UInt16)
    /// BEP 6 (fast extension).
    case suggestPiece(index: UInt32)
    case haveAll
    case haveNone
    case rejectRequest(index: UInt32, begin: UInt32, length: UInt32)
    case allowedFast(index: UInt32)
    /// BEP 10: extended message id (0 is the extension handshake), then its payload.
    case extended(id: UInt8, payload: [UInt8])
    /// An id this codec does not know. BEP 3 asks implementations to ignore such messages rather than fail, so the
    /// decoder keeps them and `SeederSession` drops them.
    case unknown(id: UInt8, payload: [UInt8])

    /// Message ids (BEP 3, BEP 5, BEP 6, BEP 10).
    public enum ID {
        public static let choke: UInt8 = 0
        public static let unchoke: UInt8 = 1
        public static let interested: UInt8 = 2
        public static let notInterested: UInt8 = 3
        public static let have: UInt8 = 4
        public static let bitfield: UInt8 = 5
        public static let request: UInt8 = 6
        public static let piece: UInt8 = 7
        public static let cancel: UInt8 = 8
        public static let port: UInt8 = 9
        public static let suggestPiece: UInt8 = 0x0D
        public static let haveAll: UInt8 = 0x0E
        public static let haveNone: UInt8 = 0x0F
        public static let rejectRequest: UInt8 = 0x10
        public static let allowedFast: UInt8 = 0x11
        public static let extended: UInt8 = 20
    }

    public static func request(_ block: BlockRequest) -> PeerMessage {
        .request(index: block.index, begin: block.begin, length: block.length)
    }

    public static func cancel(_ block: BlockRequest) -> PeerMessage {
        .cancel(index: block.index, begin: block.begin, length: block.length)
    }

    public static func rejectRequest(_ block: BlockRequest) -> PeerMessage {
        .rejectRequest(index: block.index, begin: block.begin, length: block.length)
    }
}
