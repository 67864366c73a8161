import Crypto
import Foundation
import Testing

@testable import HerdS3

/// S3's own rules against a second implementation: requests signed by botocore, the AWS SDK's signer
/// (`Vectors/botocore-s3.json`, written by `scripts/s3-sigv4-vectors.py`), and the examples of AWS's documentation.
@Suite("SigV4: S3 requests")
struct SigV4S3Tests {
    struct Vectors: Decodable {
        var time: String
        var access_key_id: String
        var secret_access_key: String
        var region: String
        var cases: [Case]
    }

    struct Case: Decodable, CustomTestStringConvertible {
        struct Header: Decodable {
            var canonical_request: String
            var authorization: String
            var payload_hash: String
        }
        struct Presigned: Decodable {
            var canonical_request: String
            var query: [[String]]
        }
        var name: String
        var method: String
        var host: String
        var path: String
        var query: [[String]]
        var headers: [[String]]
        var body: String
        var token: String?
        var header: Header
        var presigned: Presigned

        var testDescription: String { name }
    }

    static let vectors: Vectors = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Vectors/botocore-s3.json")
        guard let data = try? Data(contentsOf: url), let vectors = try? JSONDecoder().decode(Vectors.self, from: data)
        else { return Vectors(time: "", access_key_id: "", secret_access_key: "", region: "", cases: []) }
        return vectors
    }()

    static func signer(_ token: String?) -> SigV4Signer {
        SigV4Signer(
            credentials: .init(
                accessKeyId: vectors.access_key_id, secretAccessKey: vectors.secret_access_key, sessionToken: token),
            region: vectors.region)
    }

    static func request(_ vector: Case, payloadHash: String) -> SigV4Signer.Request {
        SigV4Signer.Request(
            method: vector.method, path: vector.path, query: vector.query.map { .init($0[0], $0[1]) },
            headers: [.init("Host", vector.host)] + vector.headers.map { .init($0[0], $0[1]) },
            payloadHash: payloadHash)
    }

    static var date: Date { ISO8601DateFormatter().date(from: vectors.time) ?? .distantPast }

    @Test("botocore's vectors are here")
    func present() {
        #expect(Self.vectors.cases.count == 7)
    }

    @Test("header signing matches botocore", arguments: vectors.cases)
    func headerSigning(vector: Case) throws {
        let hash = SigV4Signer.payloadHash(Array(vector.body.utf8))
        #expect(hash == vector.header.payload_hash)
        let signed = Self.signer(vector.token).sign(Self.request(vector, payloadHash: hash), at: Self.date)
        #expect(signed.canonicalRequest == vector.header.canonical_request)
        #expect(signed.fields.first { $0.name == "Authorization" }?.value == vector.header.authorization)
        #expect(signed.fields.first { $0.name == "X-Amz-Content-Sha256" }?.value == hash)
    }

    @Test("presigned URLs match botocore", arguments: vectors.cases)
    func presigning(vector: Case) throws {
        let signed = Self.signer(vector.token).presign(
            Self.request(vector, payloadHash: SigV4Signer.unsignedPayload), at: Self.date, expires: 900)
        #expect(signed.canonicalRequest == vector.presigned.canonical_request)
        let expected = vector.presigned.query.filter { $0[0].hasPrefix("X-Amz-") }.map {
            SigV4Signer.Field($0[0], $0[1])
        }
        #expect(Set(signed.fields.map(\.name)) == Set(expected.map(\.name)))
        for field in expected { #expect(signed.fields.contains(field), "\(field.name)") }
    }

    @Test("AWS's S3 example: GET /test.txt with a Range, signed by header")
    func documentationExample() {
        let signer = SigV4Signer(
            credentials: .init(
                accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            region: "us-east-1")
        let empty = SigV4Signer.payloadHash([UInt8]())
        #expect(empty == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let signed = signer.sign(
            .init(
                method: "GET", path: "/test.txt",
                headers: [.init("Host", "examplebucket.s3.amazonaws.com"), .init("Range", "bytes=0-9")],
                payloadHash: empty),
            at: Date(timeIntervalSince1970: 1_369_353_600))  // 2013-05-24T00:00:00Z
        #expect(signed.signature == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        #expect(
            signed.fields.last?.value
                == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    @Test("AWS's IAM example: the signing key of 20120215/us-east-1/iam")
    func signingKey() {
        let signer = SigV4Signer(
            credentials: .init(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
            region: "us-east-1", service: "iam")
        let key = signer.signingKey(day: "20120215").withUnsafeBytes { SigV4Signer.hex(Array($0)) }
        #expect(key == "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d")
    }

    @Test("the request target carries the path and query as signed; expiry is clamped to SigV4's week")
    func targetAndExpiry() {
        #expect(
            SigV4Signer.target(
                path: "/videos/a b/ü+c.mp4", query: [.init("partNumber", "2"), .init("uploadId", "a/b=")])
                == "/videos/a%20b/%C3%BC%2Bc.mp4?partNumber=2&uploadId=a%2Fb%3D")
        #expect(SigV4Signer.target(path: "", query: []) == "/")
        let signer = Self.signer(nil)
        let request = SigV4Signer.Request(
            method: "GET", path: "/x", headers: [.init("Host", "h")], payloadHash: SigV4Signer.unsignedPayload)
        for (asked, given) in [(0, "1"), (-5, "1"), (Int.max, "604800"), (900, "900")] {
            let fields = signer.presign(request, at: Self.date, expires: asked).fields
            #expect(fields.first { $0.name == "X-Amz-Expires" }?.value == given)
        }
    }
}
