import Foundation
import HerdObjectStorage
import HerdS3

#if canImport(Glibc)
    import Glibc
#endif

/// A second, independent S3 implementation for the object-storage contract: moto's server (PyPI `moto[server]`) on
/// loopback. It runs without its authenticated mode: with `INITIAL_NO_AUTH_ACTION_COUNT`, moto 5.2 refuses
/// ListObjectsV2 with a `/` in the prefix even from boto3 itself (SignatureDoesNotMatch, getmoto/moto#5948, open), and
/// Herd lists folders that way. Signatures are checked by SeaweedFS (`S3TestServer`) and by the AWS and botocore
/// vectors. Started once per test process on the first `bucket()`, killed when the process exits; each test gets a
/// bucket of its own.
public actor MotoTestServer {
    public static let shared = MotoTestServer()

    private var starting: Task<S3Endpoint, any Error>?

    /// A new, empty bucket and the endpoint that holds it.
    public func bucket() async throws -> (endpoint: S3Endpoint, bucket: String) {
        if starting == nil { starting = Task { try await launch() } }
        let endpoint = try await starting!.value
        return (endpoint, try await S3TestServer.newBucket(on: endpoint, startingWith: "m"))
    }

    private func launch() async throws -> S3Endpoint {
        guard let moto = S3TestServer.which("moto_server") else {
            throw S3TestError("moto is missing: run scripts/install-deps.sh test (pip moto[server])")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("herd-moto-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let port = try LoopbackListener().port
        let pid = try spawn([moto, "-H", "127.0.0.1", "-p", String(port)], log: directory + "/log")
        S3TestServer.stopAtExit(pid: pid, directory: directory)
        let endpoint = S3Endpoint(
            url: "http://127.0.0.1:\(port)", region: "us-east-1",
            credentials: .init(accessKeyId: "motokey", secretAccessKey: "moto/secret"), forcePathStyle: true)
        let client = S3Client(endpoint: endpoint, attempts: 1)
        for _ in 0..<300 {
            if (try? await client.createBucket("ready")) != nil { return endpoint }
            guard kill(pid, 0) == 0 else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let log = (try? String(contentsOfFile: directory + "/log", encoding: .utf8)) ?? ""
        throw S3TestError("moto did not start: \(log.suffix(2000))")
    }
}
