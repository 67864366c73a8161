import Foundation
import HerdTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Cached lists answered in the connection's pipeline", .ownThread)
struct ListCacheHandlerTests {
    @Test("an anonymous list from the cache has the router's bytes and headers, keeps pipelined order, honours close")
    func cachedLists() throws {
        let directory = NSTemporaryDirectory() + "herd-list-cache-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // A long lifetime, so nothing here depends on how fast the machine is.
        let server = try ServerProcess(
            directory: directory,
            environment: ["HERD_API_LIST_CACHE_TTL": "600", "HERD_LOG_LEVEL": "info", "HERD_ROOT_PASSWORD": "root-pw"])
        defer { server.stop() }
        let list = server.baseURL + "/api/v1/videos?count=2&sort=-publishedAt"

        let first = try Curl.run([list])
        let second = try Curl.run([list])
        #expect(first.status == 200 && second.status == 200)
        #expect(second.body == first.body)
        for name in ["Content-Type", "X-Content-Type-Options", "Server", "Date", "Content-Length"] {
            #expect(Curl.header(name, in: second.headers) == Curl.header(name, in: first.headers) || name == "Date")
        }
        let ids = [first, second].compactMap { Curl.header("X-Request-Id", in: $0.headers) }
        #expect(ids.count == 2 && ids[0] != ids[1])
        // The handler logs after the answer has left, so the line may follow the response.
        #expect(server.waitForOutput("cache=list"), "the second request was not answered from the pipeline")

        // Not for a request with credentials, even bad ones: they go to the router (401 here).
        let forged = try Curl.run(["-H", "Authorization: Bearer forged", list])
        #expect(forged.status == 401)

        // Pipelined behind a request the router answers, the cached list comes second; Connection: close ends it.
        let socket = SecurityTests.connect(from: "127.0.0.1", to: server.port)
        try #require(socket >= 0)
        defer { close(socket) }
        let requests =
            "GET /api/v1/config HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
            + "GET /api/v1/videos?count=2&sort=-publishedAt HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        let sent = requests.utf8CString.withUnsafeBufferPointer { send(socket, $0.baseAddress, $0.count - 1, 0) }
        #expect(sent == requests.utf8.count)
        let answer = Self.readToEnd(socket, timeoutMilliseconds: 10_000)
        #expect(answer.closed, "the server did not close the connection after Connection: close")
        let text = String(decoding: answer.bytes, as: UTF8.self)
        let statuses = text.components(separatedBy: "HTTP/1.1 200 OK").count - 1
        #expect(statuses == 2, "\(text.prefix(400))")
        let config = text.range(of: "\"instance\"")
        let videos = text.range(of: first.body)
        #expect(config != nil && videos != nil && config!.lowerBound < videos!.lowerBound, "\(text.prefix(400))")
    }

    /// Reads until the peer closes or nothing arrives for `timeoutMilliseconds`.
    static func readToEnd(_ socket: Int32, timeoutMilliseconds: Int32) -> (bytes: [UInt8], closed: Bool) {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            var entry = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, timeoutMilliseconds) > 0 else { return (bytes, false) }
            let count = recv(socket, &buffer, buffer.count, 0)
            guard count > 0 else { return (bytes, count == 0) }
            bytes.append(contentsOf: buffer[0..<count])
        }
    }
}
