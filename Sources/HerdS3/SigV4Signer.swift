import Crypto
import Foundation

/// AWS Signature Version 4 (AWS4-HMAC-SHA256), as S3-compatible object storage checks it: the `Authorization`
/// header of a request, or the `X-Amz-*` query of a presigned URL. Pure: the caller sends what it returns.
///
/// S3 signs the path as it is sent: each byte outside the unreserved set percent-encoded once, `/` kept, no
/// `.`/`..` normalisation (AWS SigV4 documentation, "Create a canonical request").
public struct SigV4Signer: Sendable {
    public struct Credentials: Sendable, Equatable {
        public var accessKeyId: String
        public var secretAccessKey: String
        /// Temporary credentials' token (`X-Amz-Security-Token`), signed with the rest.
        public var sessionToken: String?

        public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil) {
            self.accessKeyId = accessKeyId
            self.secretAccessKey = secretAccessKey
            self.sessionToken = sessionToken
        }
    }

    /// A request to sign. `path` and the query are decoded (an object key as it is, `a b/ü.mp4`): the signer encodes
    /// them, and `SigV4Signer.target(of:)` gives the request target that matches the signature.
    public struct Request: Sendable, Equatable {
        public var method: String
        public var path: String
        public var query: [Field]
        /// Every header to sign, `host` included, as sent; names in any case, repeated names allowed.
        public var headers: [Field]
        /// The hex SHA-256 of the body, or `SigV4Signer.unsignedPayload`.
        public var payloadHash: String

        public init(method: String, path: String, query: [Field] = [], headers: [Field], payloadHash: String) {
            self.method = method
            self.path = path
            self.query = query
            self.headers = headers
            self.payloadHash = payloadHash
        }
    }

    /// A header or query parameter.
    public struct Field: Sendable, Equatable {
        public var name: String
        public var value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// What a signature was made of, for the request and for tests and logs (never the key).
    public struct Signature: Sendable, Equatable {
        public var canonicalRequest: String
        public var stringToSign: String
        /// Lowercase hex.
        public var signature: String
        /// What to add to the request: headers (header signing) or query parameters (presigning).
        public var fields: [Field]
    }

    public static let algorithm = "AWS4-HMAC-SHA256"
    /// The payload hash of a body that is not signed (streamed uploads, presigned URLs).
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"
    /// Presigned URLs last at most a week (SigV4's limit).
    public static let maximumExpiry = 604_800

    public let credentials: Credentials
    public let region: String
    public let service: String

    public init(credentials: Credentials, region: String, service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// The hex SHA-256 of `body`, for `Request.payloadHash`.
    public static func payloadHash<Bytes: Sequence>(_ body: Bytes) -> String where Bytes.Element == UInt8 {
        var hasher = SHA256()
        hasher.update(data: Array(body))
        return hex(hasher.finalize())
    }

    /// Header signing: `X-Amz-Date`, `X-Amz-Security-Token` (temporary credentials), `X-Amz-Content-Sha256` (when
    /// `sendsPayloadHash`: S3 requires it) and `Authorization`, to add to the request's headers.
    public func sign(_ request: Request, at date: Date, sendsPayloadHash: Bool = true) -> Signature {
        let time = SigningTime(date)
        var added = [Field("X-Amz-Date", time.stamp)]
        if let token = credentials.sessionToken { added.append(Field("X-Amz-Security-Token", token)) }
        if sendsPayloadHash { added.append(Field("X-Amz-Content-Sha256", request.payloadHash)) }
        var signed = request
        signed.headers += added
        let headers = Self.canonicalHeaders(signed.headers)
        let canonical = canonicalRequest(signed, query: request.query, headers: headers)
        let (stringToSign, signature) = self.signature(of: canonical, at: time)
        let authorization =
            "\(Self.algorithm) Credential=\(credentials.accessKeyId)/\(scope(time)), "
            + "SignedHeaders=\(headers.names), Signature=\(signature)"
        return Signature(
            canonicalRequest: canonical, stringToSign: stringToSign, signature: signature,
            fields: added + [Field("Authorization", authorization)])
    }

    /// Query signing (a presigned URL valid `expires` seconds, 1…604,800): the `X-Amz-*` parameters to add to the
    /// request's query, `X-Amz-Signature` last.
    public func presign(_ request: Request, at date: Date, expires: Int) -> Signature {
        let time = SigningTime(date)
        let headers = Self.canonicalHeaders(request.headers)
        var added = [
            Field("X-Amz-Algorithm", Self.algorithm),
            Field("X-Amz-Credential", "\(credentials.accessKeyId)/\(scope(time))"),
            Field("X-Amz-Date", time.stamp),
            Field("X-Amz-Expires", String(min(max(1, expires), Self.maximumExpiry))),
        ]
        if let token = credentials.sessionToken { added.append(Field("X-Amz-Security-Token", token)) }
        added.append(Field("X-Amz-SignedHeaders", headers.names))
        let canonical = canonicalRequest(request, query: request.query + added, headers: headers)
        let (stringToSign, signature) = self.signature(of: canonical, at: time)
        return Signature(
            canonicalRequest: canonical, stringToSign: stringToSign, signature: signature,
            fields: added + [Field("X-Amz-Signature", signature)])
    }

    /// The request target (`/encoded/path?encoded=query`) that matches what was signed.
    public static func target(path: String, query: [Field]) -> String {
        let encodedPath = canonicalPath(path)
        guard !query.isEmpty else { return encodedPath }
        return encodedPath + "?" + query.map { encode($0.name) + "=" + encode($0.value) }.joined(separator: "&")
    }

    /// The signing key: HMAC chain over the day, region, service and `aws4_request`.
    func signingKey(day: String) -> SymmetricKey {
        var key = SymmetricKey(data: Array("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        return key
    }

    private func scope(_ time: SigningTime) -> String { "\(time.day)/\(region)/\(service)/aws4_request" }

    private func signature(of canonicalRequest: String, at time: SigningTime) -> (stringToSign: String, String) {
        let stringToSign = [
            Self.algorithm, time.stamp, scope(time), Self.payloadHash(Array(canonicalRequest.utf8)),
        ].joined(separator: "\n")
        let code = HMAC<SHA256>.authenticationCode(
            for: Array(stringToSign.utf8), using: signingKey(day: time.day))
        return (stringToSign, Self.hex(code))
    }

    private func canonicalRequest(_ request: Request, query: [Field], headers: CanonicalHeaders) -> String {
        [
            request.method.uppercased(), Self.canonicalPath(request.path), Self.canonicalQuery(query), headers.block,
            headers.names, request.payloadHash,
        ].joined(separator: "\n")
    }

    /// Each byte but the unreserved ones and `/` percent-encoded once; the empty path is `/`.
    static func canonicalPath(_ path: String) -> String {
        path.isEmpty ? "/" : encode(path, keepingSlash: true)
    }

    /// Parameters encoded, sorted by name then value (byte order of the encoded forms).
    static func canonicalQuery(_ query: [Field]) -> String {
        let encoded: [(name: String, value: String)] = query.map { (encode($0.name), encode($0.value)) }
        let sorted = encoded.sorted { $0.name == $1.name ? $0.value < $1.value : $0.name < $1.name }
        return sorted.map { $0.name + "=" + $0.value }.joined(separator: "&")
    }

    struct CanonicalHeaders {
        /// `name:value\n` per header, sorted by name; a repeated name's values joined by commas in order.
        var block: String
        /// `name;name;…`
        var names: String
    }

    /// Names lowercased, values trimmed with inner runs of whitespace (line folds included) made one space.
    static func canonicalHeaders(_ headers: [Field]) -> CanonicalHeaders {
        var values: [String: [String]] = [:]
        for header in headers {
            let value = header.value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0.isNewline })
                .joined(separator: " ")
            values[header.name.lowercased(), default: []].append(value)
        }
        let names = values.keys.sorted()
        return CanonicalHeaders(
            block: names.map { "\($0):\(values[$0]!.joined(separator: ","))\n" }.joined(),
            names: names.joined(separator: ";"))
    }

    /// RFC 3986 percent-encoding of every byte outside `A-Z a-z 0-9 - . _ ~` (and `/` when kept), uppercase hex.
    static func encode(_ text: String, keepingSlash: Bool = false) -> String {
        var encoded = ""
        encoded.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if unreserved[Int(byte)] || (keepingSlash && byte == UInt8(ascii: "/")) {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                encoded += "%" + hexDigits[Int(byte >> 4)] + hexDigits[Int(byte & 0xF)]
            }
        }
        return encoded
    }

    /// RFC 3986 §2.3, by byte value.
    private static let unreserved: [Bool] = (0..<256).map { byte in
        let character = Character(Unicode.Scalar(UInt8(byte)))
        return (character.isASCII && (character.isLetter || character.isNumber)) || "-._~".contains(character)
    }

    private static let hexDigits = "0123456789ABCDEF".map(String.init)

    static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }
}

/// The request time as SigV4 writes it: `20150830T123600Z` and its day `20150830`, in UTC.
struct SigningTime {
    let stamp: String
    let day: String

    init(_ date: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { String(value ?? 0).leftPadded(to: 2) }
        day = String(parts.year ?? 1970).leftPadded(to: 4) + two(parts.month) + two(parts.day)
        stamp = day + "T" + two(parts.hour) + two(parts.minute) + two(parts.second) + "Z"
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
