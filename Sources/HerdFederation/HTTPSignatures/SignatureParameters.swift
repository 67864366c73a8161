import Foundation

/// The parameters of a `Signature` header (draft-cavage-http-signatures-12 §4.1): `keyId`, `algorithm`, `headers`,
/// `signature`, and optionally `created` and `expires`.
public struct SignatureParameters: Sendable, Equatable {
    public var keyID: String
    public var algorithm: String?
    /// Lowercased header names, in signing order; `date` when the header leaves it out (§2.1.6).
    public var headers: [String]
    public var signature: [UInt8]
    public var created: Int?
    public var expires: Int?

    public init(
        keyID: String, algorithm: String? = "rsa-sha256", headers: [String], signature: [UInt8], created: Int? = nil,
        expires: Int? = nil
    ) {
        self.keyID = keyID
        self.algorithm = algorithm
        self.headers = headers
        self.signature = signature
        self.created = created
        self.expires = expires
    }

    /// Parses `keyId="…",algorithm="…",headers="…",signature="…"`. An `Authorization: Signature …` value, or a
    /// `Signature` header with that prefix (PeerTube tolerates it), is accepted too.
    public init(header: String) throws(HTTPSignatureError) {
        // An RSA-4096 signature in base64 is 684 bytes; the rest is names and a URL.
        guard header.utf8.count <= 8192 else { throw .malformed("the signature header is too long") }
        var text = Substring(header).drop { $0 == " " }
        if text.hasPrefix("Signature ") { text = text.dropFirst("Signature ".count) }
        var fields: [String: String] = [:]
        while !text.isEmpty {
            text = text.drop { $0 == " " || $0 == "," }
            guard !text.isEmpty else { break }
            guard let equals = text.firstIndex(of: "=") else { throw .malformed("a parameter without a value") }
            let name = text[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            text = text[text.index(after: equals)...]
            let value: Substring
            if text.first == "\"" {
                text = text.dropFirst()
                guard let close = text.firstIndex(of: "\"") else { throw .malformed("an unterminated quoted value") }
                value = text[..<close]
                text = text[text.index(after: close)...]
            } else {
                let end = text.firstIndex(of: ",") ?? text.endIndex
                value = text[..<end]
                text = text[end...]
            }
            guard fields[name] == nil else { throw .malformed("\(name) appears twice") }
            fields[name] = String(value)
        }
        guard let keyID = fields["keyid"], !keyID.isEmpty else { throw .malformed("no keyId") }
        guard let encoded = fields["signature"], let signature = Base64.decode(encoded), !signature.isEmpty else {
            throw .malformed("no valid base64 signature")
        }
        let headers = (fields["headers"] ?? "date").lowercased().split(separator: " ").map(String.init)
        guard !headers.isEmpty else { throw .malformed("an empty headers list") }
        var created: Int?
        var expires: Int?
        if let value = fields["created"] {
            guard let number = Int(value), (0...HTTPDate.latest).contains(number) else {
                throw .malformed("created is not a time")
            }
            created = number
        }
        if let value = fields["expires"] {
            guard let number = Int(value.split(separator: ".").first ?? ""), (0...HTTPDate.latest).contains(number)
            else { throw .malformed("expires is not a time") }
            expires = number
        }
        self.init(
            keyID: keyID, algorithm: fields["algorithm"], headers: headers, signature: signature, created: created,
            expires: expires)
    }

    /// The header value, as Mastodon and PeerTube send it (no `Signature ` prefix).
    public var headerValue: String {
        var parts = ["keyId=\"\(keyID)\""]
        if let algorithm { parts.append("algorithm=\"\(algorithm)\"") }
        if let created { parts.append("created=\(created)") }
        if let expires { parts.append("expires=\(expires)") }
        parts.append("headers=\"\(headers.joined(separator: " "))\"")
        parts.append("signature=\"\(Base64.encode(signature))\"")
        return parts.joined(separator: ",")
    }

    /// The actor the key belongs to: the key id without its fragment (`…/accounts/bob#main-key` → `…/accounts/bob`).
    public var actorURL: String {
        keyID.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? keyID
    }
}
