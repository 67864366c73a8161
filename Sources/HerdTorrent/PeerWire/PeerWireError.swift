/// Why a peer-wire byte stream could not be read (BEP 3). Once the decoder reports one, the connection is unusable.
public enum PeerWireError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The handshake did not start with pstrlen 19 and "BitTorrent protocol" (BEP 3).
    case badProtocolString
    /// A handshake given to `PeerHandshake(decoding:)` was not exactly 68 bytes.
    case badHandshakeLength(Int)
    /// A length prefix above the decoder's limit; reported as soon as the 4-byte prefix is read.
    case messageTooLong(length: Int, limit: Int)
    /// A known message id whose payload has the wrong size (e.g. `have` without exactly 4 bytes).
    case malformedPayload(id: UInt8, payloadLength: Int)

    public var description: String {
        switch self {
        case .badProtocolString: "not a BitTorrent handshake"
        case .badHandshakeLength(let length): "handshake of \(length) bytes, expected 68"
        case .messageTooLong(let length, let limit): "message too long: \(length) bytes, limit \(limit)"
        case .malformedPayload(let id, let length): "malformed message id \(id) with a \(length)-byte payload"
        }
    }
}
