import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A minimal HTTP/1.1 server on a free loopback port, one connection at a time, each closed after its answer: the
/// other side of a test that needs a remote server (an actor to fetch, an inbox to deliver to). GETs of `documents`
/// answer 200 with their body, requests of `redirects` 302 to their location, POSTs answer 202 and are kept in
/// `received`, anything else answers 404.
public final class LoopbackHTTPServer: @unchecked Sendable {
    public let port: Int
    private let listener: LoopbackListener
    private let lock = NSLock()
    private var documents: [String: String] = [:]
    private var locations: [String: String] = [:]
    private var raw: [String: String] = [:]
    private var posts: [(path: String, body: String)] = []
    private var stopped = false

    public init() throws {
        listener = try LoopbackListener()
        port = listener.port
        _ = fcntl(listener.fd, F_SETFL, fcntl(listener.fd, F_GETFL) & ~O_NONBLOCK)
        Thread.detachNewThread { [self] in serve() }
    }

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Serves `body` (JSON, as `application/activity+json`) at `path`.
    public subscript(path: String) -> String? {
        get { lock.withLock { documents[path] } }
        set { lock.withLock { documents[path] = newValue } }
    }

    /// Answers requests of `path` with a 302 to `location`.
    public func redirect(_ path: String, to location: String) { lock.withLock { locations[path] = location } }

    /// Answers requests of `path` with exactly `response` (status line, headers and body as written: a hostile or
    /// broken server).
    public func respond(_ path: String, with response: String) { lock.withLock { raw[path] = response } }

    /// The POSTs received so far, oldest first.
    public var received: [(path: String, body: String)] { lock.withLock { posts } }

    public func stop() {
        lock.withLock { stopped = true }
        shutdown(listener.fd, Int32(SHUT_RDWR))
    }

    deinit { stop() }

    private func serve() {
        while !lock.withLock({ stopped }) {
            let client = accept(listener.fd, nil, nil)
            guard client >= 0 else {
                if errno == EINTR { continue }
                return
            }
            answer(client)
            close(client)
        }
    }

    private func answer(_ client: Int32) {
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var request: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var headerEnd: Int?
        var bodyLength = 0
        while request.count < 16 << 20 {
            if let end = headerEnd, request.count >= end + bodyLength { break }
            let count = recv(client, &buffer, buffer.count, 0)
            guard count > 0 else { return }
            request += buffer[0..<count]
            if headerEnd == nil, let range = request.firstRange(of: Array("\r\n\r\n".utf8)) {
                headerEnd = range.upperBound
                let head = String(decoding: request[..<range.lowerBound], as: UTF8.self).lowercased()
                for line in head.split(separator: "\r\n") where line.hasPrefix("content-length:") {
                    bodyLength = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
                }
            }
        }
        guard let end = headerEnd else { return }
        let requestLine = String(decoding: request[..<end], as: UTF8.self).split(separator: "\r\n").first ?? ""
        let parts = requestLine.split(separator: " ")
        guard parts.count >= 2 else { return }
        let method = parts[0]
        let path = String(parts[1].split(separator: "?", maxSplits: 1).first ?? "")
        let response: String
        if let written = lock.withLock({ raw[path] }) {
            response = written
        } else if let location = lock.withLock({ locations[path] }) {
            response = "HTTP/1.1 302 Found\r\nLocation: \(location)\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        } else if method == "POST" {
            lock.withLock { posts.append((path, String(decoding: request[end...], as: UTF8.self))) }
            response = "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        } else if method == "GET" || method == "HEAD", let body = self[path] {
            response =
                "HTTP/1.1 200 OK\r\nContent-Type: application/activity+json\r\nContent-Length: \(body.utf8.count)\r\n"
                + "Connection: close\r\n\r\n\(method == "GET" ? body : "")"
        } else {
            response = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        }
        _ = Array(response.utf8).withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }
}
