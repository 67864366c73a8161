import Foundation
import HerdS3
import Testing

/// The AWS SigV4 test suite (awslabs/aws-c-auth `tests/aws-signing-test-suite/v4`, Apache-2.0; copied unchanged
/// into `Vectors/aws-signing-test-suite`): each case's canonical request, string to sign and signature, for header
/// signing and for presigned URLs.
@Suite("SigV4: the AWS test suite")
struct SigV4SuiteTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Vectors/aws-signing-test-suite")

    /// Every case but those that normalise `.`, `..` and `//` in the path, which S3 signs as sent: each has an
    /// `-unnormalized` twin (the same request, S3's rule) that runs here.
    static let cases: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.filter { !$0.hasSuffix("-normalized") }.sorted()
    }()

    @Test("the suite is here: 31 cases")
    func present() {
        #expect(Self.cases.count == 31)
    }

    @Test("header signing: canonical request, string to sign and signature", arguments: cases)
    func headerSigning(name: String) throws {
        let vector = try SuiteCase(Self.root.appendingPathComponent(name))
        let signed = vector.signer.sign(vector.request, at: vector.date, sendsPayloadHash: vector.signsBody)
        #expect(signed.canonicalRequest == (try vector.file("header-canonical-request.txt")))
        #expect(signed.stringToSign == (try vector.file("header-string-to-sign.txt")))
        #expect(signed.signature == (try vector.file("header-signature.txt")))
        let authorization = try #require(signed.fields.last)
        #expect(authorization.name == "Authorization")
        #expect(authorization.value.hasSuffix("Signature=\(signed.signature)"))
    }

    @Test("query signing (presigned URLs): canonical request, string to sign and signature", arguments: cases)
    func querySigning(name: String) throws {
        let vector = try SuiteCase(Self.root.appendingPathComponent(name))
        let signed = vector.signer.presign(vector.request, at: vector.date, expires: vector.expires)
        #expect(signed.canonicalRequest == (try vector.file("query-canonical-request.txt")))
        #expect(signed.stringToSign == (try vector.file("query-string-to-sign.txt")))
        #expect(signed.signature == (try vector.file("query-signature.txt")))
        #expect(signed.fields.last == SigV4Signer.Field("X-Amz-Signature", signed.signature))
    }
}

/// One case: `context.json` (credentials, region, service, time) and `request.txt` (an HTTP/1.1 request).
struct SuiteCase {
    let directory: URL
    let signer: SigV4Signer
    let request: SigV4Signer.Request
    let date: Date
    let signsBody: Bool
    let expires: Int

    init(_ directory: URL) throws {
        self.directory = directory
        let context = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("context.json")))
                as? [String: Any])
        let credentials = try #require(context["credentials"] as? [String: Any])
        signer = SigV4Signer(
            credentials: .init(
                accessKeyId: try #require(credentials["access_key_id"] as? String),
                secretAccessKey: try #require(credentials["secret_access_key"] as? String),
                // `omit_session_token`: the token is sent but added after signing (a service's rule, not S3's).
                sessionToken: context["omit_session_token"] as? Bool == true ? nil : credentials["token"] as? String),
            region: try #require(context["region"] as? String), service: try #require(context["service"] as? String))
        let timestamp = try #require(context["timestamp"] as? String)
        date = try #require(ISO8601DateFormatter().date(from: timestamp))
        signsBody = context["sign_body"] as? Bool ?? false
        expires = context["expiration_in_seconds"] as? Int ?? 3600
        request = try Self.parse(
            try String(contentsOf: directory.appendingPathComponent("request.txt"), encoding: .utf8))
    }

    func file(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    /// `METHOD target HTTP/1.1`, `Name:value` lines (a line starting with spaces continues the previous value), an
    /// empty line, the body. The target's path is taken as is; its query is percent-decoded.
    static func parse(_ text: String) throws -> SigV4Signer.Request {
        let (head, body): (Substring, Substring) = {
            guard let blank = text.range(of: "\n\n") else { return (text[...], "") }
            return (text[..<blank.lowerBound], text[blank.upperBound...])
        }()
        var lines = head.split(separator: "\n", omittingEmptySubsequences: false)
        let requestLine = lines.removeFirst().split(separator: " ")
        try #require(requestLine.count >= 3)
        let method = String(requestLine[0])
        let target = requestLine[1..<(requestLine.count - 1)].joined(separator: " ")
        let (path, rawQuery) =
            target.firstIndex(of: "?").map {
                (String(target[..<$0]), String(target[target.index(after: $0)...]))
            } ?? (target, "")
        let query = rawQuery.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (part: Substring) in String(part).removingPercentEncoding ?? String(part) }
            return SigV4Signer.Field(decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
        var headers: [SigV4Signer.Field] = []
        for line in lines where !line.isEmpty {
            if line.first == " " || line.first == "\t", !headers.isEmpty {
                headers[headers.count - 1].value += " " + line.trimmingCharacters(in: .whitespaces)
                continue
            }
            let parts = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            try #require(parts.count == 2)
            headers.append(SigV4Signer.Field(String(parts[0]), String(parts[1])))
        }
        return SigV4Signer.Request(
            method: method, path: path, query: query, headers: headers,
            payloadHash: SigV4Signer.payloadHash(Array(body.utf8)))
    }
}
