import Foundation
import HerdCrypto

/// HTTP Signatures as the fediverse uses them (draft-cavage-http-signatures-12 with `rsa-sha256`, plus the
/// `Digest` header of RFC 3230): signing outgoing requests and verifying incoming ones. Keys are looked up by the
/// caller (`SignatureParameters.actorURL`); this type does no I/O.
public enum HTTPSignature {
    /// `SHA-256=<base64>` of the body (RFC 3230 §4.3.2, RFC 5843).
    public static func digestHeader(for body: some Collection<UInt8>) -> String {
        "SHA-256=\(Base64.encode(Digest.sha256(body)))"
    }

    /// The headers that sign a request: `Host`, `Date`, for a body `Digest`, and `Signature` over
    /// `(request-target) host date [digest]` (what PeerTube and Mastodon send and require).
    public static func sign(
        method: String, target: String, host: String, body: [UInt8]?, keyID: String, key: RSAKey, now: Int
    ) throws -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [("Host", host), ("Date", HTTPDate.format(now))]
        var signed = ["(request-target)", "host", "date"]
        if let body {
            headers.append(("Digest", digestHeader(for: body)))
            signed.append("digest")
        }
        let request = SignedRequest(
            method: method, target: target,
            headers: Dictionary(uniqueKeysWithValues: headers.map { ($0.name, $0.value) }))
        var parameters = SignatureParameters(keyID: keyID, headers: signed, signature: [0])
        let signingString = try request.signingString(for: parameters)
        parameters.signature = try key.sign(Array(signingString.utf8))
        headers.append(("Signature", parameters.headerValue))
        return headers
    }

    /// Checks everything but the key: the algorithm, that the request signs what it must (`(request-target)` and
    /// `host`; `digest` when it has a body; `date` or `(created)`), the digest against the raw body, and the date
    /// within `maxSkew` seconds of `now` (PeerTube allows 30 minutes). Returns the parameters and the signing string
    /// to verify with the signer's key.
    public static func check(
        _ request: SignedRequest, now: Int, maxSkew: Int = 1800
    ) throws(HTTPSignatureError) -> (parameters: SignatureParameters, signingString: String) {
        guard let header = request.headers["signature"] ?? authorizationSignature(request) else {
            throw .missingSignature
        }
        let parameters = try SignatureParameters(header: header)
        // hs2019 (draft-cavage-12 §E.2) means "whatever the key says": for an RSA key that is rsa-sha256.
        if let algorithm = parameters.algorithm?.lowercased(), algorithm != "rsa-sha256", algorithm != "hs2019" {
            throw .unsupportedAlgorithm(algorithm)
        }
        var required = ["(request-target)", "host"]
        let hasBody = !request.body.isEmpty || request.method.uppercased() == "POST"
        if hasBody { required.append("digest") }
        for name in required where !parameters.headers.contains(name) { throw .headerNotSigned(name) }
        if hasBody {
            guard let digest = request.headers["digest"] else { throw .missingHeader("digest") }
            guard digestMatches(digest, body: request.body) else { throw .digestMismatch }
        }
        if parameters.headers.contains("date") {
            guard let value = request.headers["date"], let date = HTTPDate.parse(value) else {
                throw .malformed("the Date header is not an HTTP date")
            }
            guard abs(now - date) <= maxSkew else { throw .dateOutOfRange }
        } else if parameters.headers.contains("(created)"), let created = parameters.created {
            guard abs(now - created) <= maxSkew else { throw .dateOutOfRange }
        } else {
            throw .headerNotSigned("date")
        }
        if let expires = parameters.expires, expires < now { throw .dateOutOfRange }
        return (parameters, try request.signingString(for: parameters))
    }

    /// `check`, then the RSA signature with the signer's public key.
    public static func verify(
        _ request: SignedRequest, key: RSAKey, now: Int, maxSkew: Int = 1800
    ) throws(HTTPSignatureError) -> SignatureParameters {
        let (parameters, signingString) = try check(request, now: now, maxSkew: maxSkew)
        guard key.verify(parameters.signature, of: Array(signingString.utf8)) else { throw .badSignature }
        return parameters
    }

    /// A `Digest` header may list several algorithms (`SHA-256=…,SHA-512=…`); the SHA-256 one must match.
    static func digestMatches(_ header: String, body: [UInt8]) -> Bool {
        let expected = Base64.encode(Digest.sha256(body))
        for part in header.split(separator: ",") {
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            guard let equals = trimmed.firstIndex(of: "=") else { continue }
            if trimmed[..<equals].lowercased() == "sha-256" {
                return trimmed[trimmed.index(after: equals)...] == expected
            }
        }
        return false
    }

    static func authorizationSignature(_ request: SignedRequest) -> String? {
        guard let value = request.headers["authorization"], value.hasPrefix("Signature ") else { return nil }
        return value
    }
}
