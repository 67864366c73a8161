import Foundation
import HerdCrypto
import HerdFederation
import HerdTestSupport
import Testing

@Suite("HTTP Signatures (draft-cavage-http-signatures-12)")
struct HTTPSignatureTests {
    /// Mastodon 2.5.0 signed this POST to PeerTube's `/accounts/ronan/inbox` at this time.
    static let mastodonTime = 1_540_215_262  // Mon, 22 Oct 2018 13:34:22 GMT

    static func mastodonRequest() throws -> SignedRequest {
        let headers = try Vectors.json("mastodon/http-signature.json")["headers"] as! [String: String]
        return SignedRequest(
            method: "POST", target: "/accounts/ronan/inbox", headers: headers, body: try Vectors.mastodonBody())
    }

    static func mastodonKey() throws -> RSAKey {
        try RSAKey(pem: try Vectors.json("mastodon/public-key.json")["publicKey"] as! String)
    }

    @Test("the real Mastodon-signed request verifies, and names its actor")
    func mastodonVerifies() throws {
        let request = try Self.mastodonRequest()
        #expect(request.body.count == 2815)
        #expect(HTTPSignature.digestHeader(for: request.body) == request.headers["digest"])
        let parameters = try HTTPSignature.verify(request, key: try Self.mastodonKey(), now: Self.mastodonTime + 60)
        #expect(parameters.keyID == "http://localhost:3000/users/ronan2#main-key")
        #expect(parameters.actorURL == "http://localhost:3000/users/ronan2")
        #expect(parameters.headers == ["(request-target)", "host", "date", "digest", "content-type"])
    }

    @Test("any tampering of the Mastodon request fails")
    func mastodonTampered() throws {
        let key = try Self.mastodonKey()
        let now = Self.mastodonTime
        // One byte of the body: the digest no longer matches.
        var body = try Self.mastodonRequest()
        body.body[100] ^= 0x01
        #expect(throws: HTTPSignatureError.digestMismatch) { try HTTPSignature.verify(body, key: key, now: now) }
        // The body and a digest made for it: the signature covers the old digest.
        body.headers["digest"] = HTTPSignature.digestHeader(for: body.body)
        #expect(throws: HTTPSignatureError.badSignature) { try HTTPSignature.verify(body, key: key, now: now) }
        // A signed header changed.
        var header = try Self.mastodonRequest()
        header.headers["content-type"] = "application/json"
        #expect(throws: HTTPSignatureError.badSignature) { try HTTPSignature.verify(header, key: key, now: now) }
        // Another path than the one signed.
        var path = try Self.mastodonRequest()
        path.target = "/accounts/other/inbox"
        #expect(throws: HTTPSignatureError.badSignature) { try HTTPSignature.verify(path, key: key, now: now) }
        // The signature itself.
        var signature = try Self.mastodonRequest()
        signature.headers["signature"] = signature.headers["signature"]!.replacingOccurrences(of: "oLKb", with: "oLKc")
        #expect(throws: HTTPSignatureError.badSignature) { try HTTPSignature.verify(signature, key: key, now: now) }
        // Another actor's key (PeerTube's test keys).
        let other = try RSAKey(pem: try Vectors.json("peertube/keys.json")["publicKey"] as! String)
        #expect(throws: HTTPSignatureError.badSignature) {
            try HTTPSignature.verify(try Self.mastodonRequest(), key: other, now: now)
        }
        // Replayed more than 30 minutes later (or earlier).
        #expect(throws: HTTPSignatureError.dateOutOfRange) {
            try HTTPSignature.verify(try Self.mastodonRequest(), key: key, now: now + 1801)
        }
        #expect(throws: HTTPSignatureError.dateOutOfRange) {
            try HTTPSignature.verify(try Self.mastodonRequest(), key: key, now: now - 1801)
        }
        // No signature at all.
        var unsigned = try Self.mastodonRequest()
        unsigned.headers["signature"] = nil
        #expect(throws: HTTPSignatureError.missingSignature) { try HTTPSignature.verify(unsigned, key: key, now: now) }
    }

    @Test("Herd's signatures verify with Herd's public key, POST with a digest and GET without")
    func roundTrip() throws {
        let key = try RSAKey.generate()
        #expect(key.bits == 2048)
        let publicKey = try RSAKey(pem: key.publicKeyPEM)
        #expect(!publicKey.isPrivate)
        #expect(try RSAKey(pem: key.privateKeyPEM!).publicKeyPEM == key.publicKeyPEM)
        let body = Array(#"{"type":"Follow"}"#.utf8)
        let now = 1_700_000_000
        let headers = try HTTPSignature.sign(
            method: "POST", target: "/inbox", host: "b.example", body: body,
            keyID: "https://a.example/accounts/peertube#main-key", key: key, now: now)
        #expect(headers.map(\.name) == ["Host", "Date", "Digest", "Signature"])
        let request = SignedRequest(
            method: "POST", target: "/inbox",
            headers: Dictionary(uniqueKeysWithValues: headers.map { ($0.name, $0.value) }),
            body: body)
        let parameters = try HTTPSignature.verify(request, key: publicKey, now: now + 5)
        #expect(parameters.headers == ["(request-target)", "host", "date", "digest"])
        #expect(parameters.actorURL == "https://a.example/accounts/peertube")
        let get = try HTTPSignature.sign(
            method: "GET", target: "/accounts/bob", host: "b.example", body: nil, keyID: "https://a.example/a#k",
            key: key, now: now)
        let fetch = SignedRequest(
            method: "GET", target: "/accounts/bob",
            headers: Dictionary(uniqueKeysWithValues: get.map { ($0.name, $0.value) }))
        #expect(
            try HTTPSignature.verify(fetch, key: publicKey, now: now).headers == ["(request-target)", "host", "date"])
    }

    @Test("a POST must sign its digest, host and target; date or (created) must be signed")
    func requiredHeaders() throws {
        let key = try RSAKey.generate()
        let body = Array("{}".utf8)
        let now = 1_700_000_000
        func request(signing names: [String]) throws -> SignedRequest {
            var request = SignedRequest(
                method: "POST", target: "/inbox",
                headers: [
                    "host": "b.example", "date": HTTPDate.format(now),
                    "digest": HTTPSignature.digestHeader(for: body),
                ],
                body: body)
            var parameters = SignatureParameters(keyID: "https://a.example/x", headers: names, signature: [0])
            parameters.signature = try key.sign(Array(try request.signingString(for: parameters).utf8))
            request.headers["signature"] = parameters.headerValue
            return request
        }
        #expect(throws: HTTPSignatureError.headerNotSigned("digest")) {
            try HTTPSignature.verify(try request(signing: ["(request-target)", "host", "date"]), key: key, now: now)
        }
        #expect(throws: HTTPSignatureError.headerNotSigned("host")) {
            try HTTPSignature.verify(try request(signing: ["(request-target)", "date", "digest"]), key: key, now: now)
        }
        #expect(throws: HTTPSignatureError.headerNotSigned("date")) {
            try HTTPSignature.verify(try request(signing: ["(request-target)", "host", "digest"]), key: key, now: now)
        }
        #expect(throws: HTTPSignatureError.missingHeader("content-type")) {
            try request(signing: ["(request-target)", "host", "date", "digest", "content-type"])
        }
    }

    @Test(
        "malformed Signature headers are refused with a reason",
        arguments: [
            "", "algorithm=\"rsa-sha256\",headers=\"date\",signature=\"AAAA\"",
            "keyId=\"k\",signature=\"not base64!\"", "keyId=\"k\",signature=\"AAAA",
            "keyId=\"k\",keyId=\"j\",signature=\"AAAA\"",
            "keyId", "keyId=\"k\",headers=\"\",signature=\"AAAA\"", "keyId=\"k\",created=soon,signature=\"AAAA\"",
            // Absurd times (`now - created` once trapped on Int.min) and absurd lengths.
            "keyId=\"k\",created=-9223372036854775808,signature=\"AAAA\"",
            "keyId=\"k\",created=9223372036854775807,signature=\"AAAA\"",
            "keyId=\"k\",expires=-1,signature=\"AAAA\"", "keyId=\"k\",expires=1e300,signature=\"AAAA\"",
            "keyId=\"" + String(repeating: "k", count: 10_000) + "\",signature=\"AAAA\"",
        ])
    func malformed(header: String) {
        #expect(throws: HTTPSignatureError.self) { try SignatureParameters(header: header) }
    }

    @Test("parameters parse with or without the 'Signature ' prefix and print back")
    func parameters() throws {
        let value =
            "keyId=\"https://a.example/accounts/bob\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date\",signature=\"AQID\""
        let parsed = try SignatureParameters(header: value)
        #expect(try SignatureParameters(header: "Signature " + value) == parsed)
        #expect(parsed.signature == [1, 2, 3])
        #expect(parsed.headerValue == value)
        #expect(try SignatureParameters(header: "keyId=\"k\",signature=\"AQID\"").headers == ["date"])
        let unknown = try SignatureParameters(header: "keyId=\"k\",algorithm=\"ed25519\",signature=\"AQID\"")
        let request = SignedRequest(method: "GET", target: "/", headers: ["signature": unknown.headerValue])
        #expect(throws: HTTPSignatureError.unsupportedAlgorithm("ed25519")) {
            try HTTPSignature.check(request, now: 0)
        }
    }

    @Test("HTTP dates parse and print (RFC 9110 IMF-fixdate)")
    func dates() {
        #expect(HTTPDate.parse("Mon, 22 Oct 2018 13:34:22 GMT") == 1_540_215_262)
        #expect(HTTPDate.format(1_540_215_262) == "Mon, 22 Oct 2018 13:34:22 GMT")
        #expect(HTTPDate.format(0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(HTTPDate.format(784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")  // RFC 9110's example
        #expect(HTTPDate.format(1_795_000_000) == "Wed, 18 Nov 2026 11:06:40 GMT")  // Python email.utils.formatdate
        #expect(HTTPDate.format(951_782_400) == "Tue, 29 Feb 2000 00:00:00 GMT")
        #expect(HTTPDate.parse(HTTPDate.format(1_798_761_599)) == 1_798_761_599)
        for bad in [
            "", "Mon, 22 Oct 2018 13:34:22", "Mon, 32 Oct 2018 13:34:22 GMT", "Mon, 22 Foo 2018 13:34:22 GMT",
            "Mon, 22 Oct 2018 25:00:00 GMT", "22 Oct 2018 13:34:22 GMT",
            "Mon, 22 Oct 9223372036854775807 13:34:22 GMT", "Mon, 22 Oct 10000 13:34:22 GMT",
        ] {
            #expect(HTTPDate.parse(bad) == nil)
        }
    }
}
