import Foundation
import HerdCrypto
import HerdFederation
import HerdTestSupport
import Testing

/// Herd's HTTP Signatures against an independent implementation: `httpsig` 1.3.0 (PyPI), installed if missing.
@Suite("HTTP Signatures interoperate with httpsig (PyPI)", .ownThread)
struct HttpsigInteropTests {
    static func python(_ script: String, _ arguments: [String] = []) throws -> (status: Int32, output: String) {
        try Subprocess.run("/usr/bin/env", ["python3", "-c", script] + arguments)
    }

    static func ensureHttpsig() throws {
        if try python("import httpsig").status == 0 { return }
        let install = try python(
            "import subprocess, sys; sys.exit(subprocess.call([sys.executable, '-m', 'pip', 'install', '--quiet', "
                + "'--disable-pip-version-check', 'httpsig==1.3.0']))")
        #expect(install.status == 0, "pip install httpsig: \(install.output)")
    }

    static let verify = """
        import json, sys, httpsig
        request = json.loads(sys.argv[1])
        verifier = httpsig.HeaderVerifier(
            request["headers"], secret=request["publicKey"].encode(), method=request["method"], path=request["path"],
            required_headers=["(request-target)", "host", "date"] + (["digest"] if request["method"] == "POST" else []),
            sign_header="signature")
        print("verified" if verifier.verify() else "refused")
        """

    func verifyWithHttpsig(_ headers: [(name: String, value: String)], method: String, path: String, key: RSAKey)
        throws -> String
    {
        let request: [String: Any] = [
            "headers": Dictionary(uniqueKeysWithValues: headers.map { ($0.name, $0.value) }), "method": method,
            "path": path, "publicKey": key.publicKeyPEM,
        ]
        let json = String(decoding: try JSONSerialization.data(withJSONObject: request), as: UTF8.self)
        let result = try Self.python(Self.verify, [json])
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("httpsig verifies Herd's signed POST and GET, and refuses them once tampered")
    func httpsigVerifiesHerd() throws {
        try Self.ensureHttpsig()
        let key = try RSAKey.generate()
        let now = Int(Date().timeIntervalSince1970)
        let post = try HTTPSignature.sign(
            method: "POST", target: "/accounts/bob/inbox", host: "b.example", body: Array(#"{"type":"Follow"}"#.utf8),
            keyID: "https://a.example/accounts/peertube#main-key", key: key, now: now)
        #expect(try verifyWithHttpsig(post, method: "POST", path: "/accounts/bob/inbox", key: key) == "verified")
        let get = try HTTPSignature.sign(
            method: "GET", target: "/accounts/bob", host: "b.example", body: nil,
            keyID: "https://a.example/accounts/peertube#main-key", key: key, now: now)
        #expect(try verifyWithHttpsig(get, method: "GET", path: "/accounts/bob", key: key) == "verified")
        // Another path, or another key: httpsig refuses.
        #expect(try verifyWithHttpsig(post, method: "POST", path: "/inbox", key: key) == "refused")
        #expect(
            try verifyWithHttpsig(post, method: "POST", path: "/accounts/bob/inbox", key: try RSAKey.generate())
                == "refused")
    }

    @Test("Herd verifies a POST signed by httpsig, and refuses it with another body")
    func herdVerifiesHttpsig() throws {
        try Self.ensureHttpsig()
        let key = try RSAKey.generate()
        let body = #"{"type":"Create"}"#
        let date = HTTPDate.format(Int(Date().timeIntervalSince1970))
        let sign = """
            import base64, hashlib, json, sys, httpsig
            key, body, date = sys.argv[1], sys.argv[2], sys.argv[3]
            digest = "SHA-256=" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
            signer = httpsig.HeaderSigner("https://m.example/users/carol#main-key", key.encode(), algorithm="rsa-sha256",
                headers=["(request-target)", "host", "date", "digest"], sign_header="signature")
            print(json.dumps(signer.sign({"Host": "herd.example", "Date": date, "Digest": digest}, method="POST",
                path="/inbox")))
            """
        let result = try Self.python(sign, [key.privateKeyPEM!, body, date])
        #expect(result.status == 0, "\(result.output)")
        let headers = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as! [String: String]
        let request = SignedRequest(method: "POST", target: "/inbox", headers: headers, body: Array(body.utf8))
        let publicKey = try RSAKey(pem: key.publicKeyPEM)
        let now = Int(Date().timeIntervalSince1970)
        #expect(try HTTPSignature.verify(request, key: publicKey, now: now).actorURL == "https://m.example/users/carol")
        var tampered = request
        tampered.body = Array(#"{"type":"Delete"}"#.utf8)
        #expect(throws: HTTPSignatureError.digestMismatch) {
            try HTTPSignature.verify(tampered, key: publicKey, now: now)
        }
    }
}
