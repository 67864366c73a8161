/// Why a request's HTTP Signature was refused. Each case names what to fix; none carries secrets.
public enum HTTPSignatureError: Error, Equatable, Sendable, CustomStringConvertible {
    case missingSignature
    case malformed(String)
    case unsupportedAlgorithm(String)
    /// A header the request must sign (e.g. `digest` on a POST) is not in the signature's `headers` list.
    case headerNotSigned(String)
    /// A header the signature lists is not in the request.
    case missingHeader(String)
    case digestMismatch
    case dateOutOfRange
    case badSignature

    public var description: String {
        switch self {
        case .missingSignature: "the request has no Signature header"
        case .malformed(let what): "malformed signature: \(what)"
        case .unsupportedAlgorithm(let name): "unsupported signature algorithm \(name)"
        case .headerNotSigned(let name): "the signature does not cover \(name)"
        case .missingHeader(let name): "the signed header \(name) is missing"
        case .digestMismatch: "the Digest header does not match the body"
        case .dateOutOfRange: "the request's date is too far from now"
        case .badSignature: "the signature does not verify with the actor's key"
        }
    }
}
