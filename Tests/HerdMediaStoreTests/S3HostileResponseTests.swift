import HerdObjectStorage
import HerdS3
import HerdTestSupport
import NIOCore
import Testing

/// What a bucket answers decides how many bytes Herd relays to a viewer (`S3Client.open`): a broken or hostile
/// answer is an error, never a response that says one length and sends another.
struct S3HostileResponseTests {
    static func client(_ server: LoopbackHTTPServer) -> S3Client {
        S3Client(
            endpoint: S3Endpoint(
                url: server.baseURL, region: "us-east-1",
                credentials: .init(accessKeyId: "key", secretAccessKey: "secret"), forcePathStyle: true),
            attempts: 1)
    }

    static func bytes(_ object: S3Client.ObjectStream) async throws -> Int {
        var count = 0
        for try await buffer in object.body { count += buffer.readableBytes }
        return count
    }

    /// The `S3Failure` `work` throws; nil (and a recorded issue) when it throws none.
    static func failure(_ work: () async throws -> Void) async throws -> S3Failure? {
        do {
            try await work()
        } catch let failure as S3Failure {
            return failure
        }
        Issue.record("no S3Failure")
        return nil
    }

    @Test("a bucket's ranged answer is relayed as it says, and refused when it does not add up")
    func hostileAnswers() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let client = Self.client(server)
        let head = "Connection: close\r\n"
        server.respond(
            "/media/good",
            with: "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 10-19/100\r\n"
                + "Content-Length: 10\r\nETag: \"e\"\r\n\(head)\r\n0123456789")
        let good = try #require(try await client.open("media", "good", range: "bytes=10-19"))
        #expect(good.range == 10...19 && good.size == 100 && good.etag == "\"e\"")
        #expect(try await Self.bytes(good) == 10)

        server.respond("/media/whole", with: "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\(head)\r\nabcd")
        let whole = try #require(try await client.open("media", "whole", range: nil))
        #expect(whole.range == nil && whole.size == 4)
        #expect(try await Self.bytes(whole) == 4)

        #expect(try await client.open("media", "missing", range: nil) == nil)
        server.respond(
            "/media/outside", with: "HTTP/1.1 416 Range Not Satisfiable\r\nContent-Length: 0\r\n\(head)\r\n")
        #expect(
            try await Self.failure { _ = try await client.open("media", "outside", range: "bytes=500-") }?.status == 416
        )

        // A range past the object, one that disagrees with the length, none at all, a range unit that is not
        // bytes: refused before a byte is relayed.
        for (name, headers) in [
            ("past", "Content-Range: bytes 0-1000/1000\r\nContent-Length: 1001\r\n"),
            ("disagrees", "Content-Range: bytes 0-9/100\r\nContent-Length: 5\r\n"),
            ("none", "Content-Length: 10\r\n"),
            ("unit", "Content-Range: items 0-9/100\r\nContent-Length: 10\r\n"),
            ("huge", "Content-Range: bytes 0-9/99999999999999999999\r\nContent-Length: 10\r\n"),
        ] {
            server.respond("/media/\(name)", with: "HTTP/1.1 206 Partial Content\r\n\(headers)\(head)\r\n0123456789")
            let failure = try await Self.failure { _ = try await client.open("media", name, range: "bytes=0-9") }
            #expect(failure?.code == "MalformedResponse", "\(name)")
        }
        // Fewer bytes than announced: the stream ends in an error, not quietly short.
        server.respond("/media/short", with: "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\(head)\r\n01234")
        let short = try #require(try await client.open("media", "short", range: nil))
        await #expect(throws: (any Error).self) { _ = try await Self.bytes(short) }
    }
}
