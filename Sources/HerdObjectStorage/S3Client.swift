import AsyncHTTPClient
import CoreMetrics
import Foundation
import HerdCore
import HerdS3
import Logging
import NIOCore
import NIOHTTP1

/// An S3-compatible server: where it is and who Herd is there.
public struct S3Endpoint: Sendable, Equatable {
    /// `http(s)://host[:port]`, no path.
    public var url: String
    public var region: String
    public var credentials: SigV4Signer.Credentials
    /// `host/bucket/key` (MinIO, SeaweedFS, most self-hosted servers) rather than `bucket.host/key`.
    public var forcePathStyle: Bool

    public init(url: String, region: String, credentials: SigV4Signer.Credentials, forcePathStyle: Bool) {
        self.url = url.hasSuffix("/") ? String(url.dropLast()) : url
        self.region = region
        self.credentials = credentials
        self.forcePathStyle = forcePathStyle
    }
}

/// A refused or failed S3 request: the operation, the status and S3's error code, for logs (never the credentials).
public struct S3Failure: Error, CustomStringConvertible {
    public var operation: String
    public var status: Int
    public var code: String
    public var message: String

    public var description: String {
        "S3 \(operation): \(status) \(code) \(message)".trimmingCharacters(in: .whitespaces)
    }
}

/// The S3 API over AsyncHTTPClient, every request signed with SigV4 (body hashed). Large files go up in parts
/// (`partSize`), each part retried; a failed multipart upload is aborted, so no parts stay billed in the bucket.
public struct S3Client: Sendable {
    public let endpoint: S3Endpoint
    let signer: SigV4Signer
    let http: HTTPClient
    /// Files above this go up in parts of this size (S3: at least 5 MiB but the last).
    public let partSize: Int
    /// Attempts per request that failed for the network or a 5xx.
    let attempts: Int
    /// Request durations and failures by operation (README, "Metrics").
    let metrics: any MetricsFactory
    static let timeout: TimeAmount = .minutes(5)
    /// Listing and error documents past this are refused.
    static let maximumDocument = 8 << 20

    public init(
        endpoint: S3Endpoint, partSize: Int = 16 << 20, attempts: Int = 3, http: HTTPClient = S3Client.http,
        metrics: any MetricsFactory = NOOPMetricsHandler.instance
    ) {
        self.endpoint = endpoint
        signer = SigV4Signer(credentials: endpoint.credentials, region: endpoint.region)
        self.partSize = max(5 << 20, partSize)
        self.attempts = max(1, attempts)
        self.http = http
        self.metrics = metrics
    }

    /// The HTTP client of object storage: a connection that cannot be made fails the requests waiting for it at once
    /// (AsyncHTTPClient's default keeps them waiting, retrying, until their five-minute deadline), so a bucket that is
    /// down is an error in seconds, after `attempts`. It lives as long as the process. Every viewer of a private file
    /// holds a connection to the bucket while its bytes flow: up to `connectionsPerHost` at once (AsyncHTTPClient's
    /// default, 8, queued the ninth viewer behind the others).
    public static let http: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connectionsPerHost)
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(5)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    static let connectionsPerHost = 256

    // MARK: Objects

    public func createBucket(_ bucket: String) async throws {
        let response = try await send("CreateBucket", method: .PUT, bucket: bucket, key: nil)
        guard response.status < 300 || response.code == "BucketAlreadyOwnedByYou" else { throw response.failure }
    }

    public func put(_ bucket: String, _ key: String, bytes: [UInt8], contentType: String? = nil) async throws {
        let response = try await send(
            "PutObject", method: .PUT, bucket: bucket, key: key,
            headers: contentType.map { [("Content-Type", $0)] } ?? [],
            body: bytes)
        guard response.status < 300 else { throw response.failure }
    }

    /// Puts a local file: in one request up to `partSize`, else as a multipart upload. The file is read a part at a
    /// time on a thread of its own (`MediaThread`), never on the event loops.
    public func putFile(_ bucket: String, _ key: String, path: String, contentType: String? = nil) async throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw S3Failure(operation: "PutObject", status: 0, code: "NoSuchFile", message: path)
        }
        defer { try? handle.close() }
        let partSize = self.partSize
        let readPart = { @Sendable in
            try await MediaThread.run { Array(try handle.read(upToCount: partSize) ?? Data()) }
        }
        let first = try await readPart()
        var next = try await readPart()
        if next.isEmpty {
            try await put(bucket, key, bytes: first, contentType: contentType)
            return
        }
        let uploadId = try await createMultipartUpload(bucket, key, contentType: contentType)
        do {
            var parts = [(number: 1, etag: try await uploadPart(bucket, key, uploadId: uploadId, number: 1, first))]
            while !next.isEmpty {
                let number = parts.count + 1
                parts.append((number, try await uploadPart(bucket, key, uploadId: uploadId, number: number, next)))
                next = try await readPart()
            }
            try await completeMultipartUpload(bucket, key, uploadId: uploadId, parts: parts)
        } catch {
            try? await abortMultipartUpload(bucket, key, uploadId: uploadId)
            throw error
        }
    }

    /// The object's bytes (or `range`'s, `bytes=a-b`), at most `maxBytes`; nil when there is no such object.
    public func get(_ bucket: String, _ key: String, range: String? = nil, maxBytes: Int) async throws -> [UInt8]? {
        let response = try await send(
            "GetObject", method: .GET, bucket: bucket, key: key, headers: range.map { [("Range", $0)] } ?? [],
            maxBody: maxBytes)
        if response.status == 404 { return nil }
        guard response.status < 300 else { throw response.failure }
        return response.body
    }

    /// The object's size, or nil when there is none.
    public func size(_ bucket: String, _ key: String) async throws -> Int64? {
        try await head(bucket, key)?.size
    }

    /// The object's size and validators, or nil when there is none.
    public func head(_ bucket: String, _ key: String) async throws -> ObjectHead? {
        let response = try await send("HeadObject", method: .HEAD, bucket: bucket, key: key)
        if response.status == 404 { return nil }
        guard response.status < 300 else { throw response.failure }
        guard let size = response.headers.first(name: "Content-Length").flatMap({ Int64($0) }) else {
            throw S3Failure(operation: "HeadObject", status: response.status, code: "NoLength", message: key)
        }
        return ObjectHead(
            size: size, etag: response.headers.first(name: "ETag"),
            lastModified: response.headers.first(name: "Last-Modified"))
    }

    public struct ObjectHead: Sendable, Equatable {
        public var size: Int64
        public var etag: String?
        public var lastModified: String?
    }

    public func delete(_ bucket: String, _ key: String) async throws {
        let response = try await send("DeleteObject", method: .DELETE, bucket: bucket, key: key)
        guard response.status < 300 || response.status == 404 else { throw response.failure }
    }

    /// A server-side copy (CopyObject; objects up to 5 GB).
    public func copy(from sourceBucket: String, _ sourceKey: String, to bucket: String, _ key: String) async throws {
        let source = SigV4Signer.target(path: "/" + sourceBucket + "/" + sourceKey, query: [])
        let response = try await send(
            "CopyObject", method: .PUT, bucket: bucket, key: key, headers: [("x-amz-copy-source", source)],
            maxBody: Self.maximumDocument)
        // A copy that fails late answers 200 with an error document.
        guard response.status < 300, S3XML.error(response.body) == nil else { throw response.failure }
    }

    /// Keys under `prefix` (all of them, page by page); with `delimiter`, the folders under it instead of their keys.
    public func list(_ bucket: String, prefix: String, delimiter: String? = nil) async throws -> S3XML.ListPage {
        var all = S3XML.ListPage(keys: [], commonPrefixes: [], continuationToken: nil)
        var token: String?
        repeat {
            var query = [SigV4Signer.Field("list-type", "2"), .init("prefix", prefix)]
            if let delimiter { query.append(.init("delimiter", delimiter)) }
            if let token { query.append(.init("continuation-token", token)) }
            let response = try await send(
                "ListObjectsV2", method: .GET, bucket: bucket, key: nil, query: query, maxBody: Self.maximumDocument)
            guard response.status < 300 else { throw response.failure }
            let page = try S3XML.listPage(response.body)
            all.keys += page.keys
            all.commonPrefixes += page.commonPrefixes
            token = page.continuationToken
        } while token != nil
        return all
    }

    // MARK: Requests

    struct Response {
        var operation: String
        var status: Int
        var headers: HTTPHeaders
        var body: [UInt8]

        var code: String { S3XML.error(body)?.code ?? "" }
        var failure: S3Failure {
            let error = S3XML.error(body)
            return S3Failure(
                operation: operation, status: status, code: error?.code ?? "", message: error?.message ?? "")
        }
    }

    /// Host and path of `bucket`/`key` by the endpoint's addressing style.
    func location(bucket: String, key: String?) -> (host: String, base: String, path: String) {
        let scheme = endpoint.url.hasPrefix("https://") ? "https://" : "http://"
        let host = String(endpoint.url.dropFirst(scheme.count))
        let keyPath = key.map { "/" + $0 } ?? "/"
        if endpoint.forcePathStyle { return (host, endpoint.url, "/" + bucket + (key.map { "/" + $0 } ?? "")) }
        return (bucket + "." + host, scheme + bucket + "." + host, keyPath)
    }

    /// The bucket's own URL (where its public objects are fetched from when no CDN `base_url` is set).
    public func bucketURL(_ bucket: String) -> String {
        let (_, base, path) = location(bucket: bucket, key: nil)
        return endpoint.forcePathStyle ? base + path : base
    }

    /// A URL that GETs `bucket`/`key` without other credentials for `expires` seconds from `date` (SigV4 query
    /// signing: only the Host header is signed, so any client may follow it).
    public func presignedURL(_ bucket: String, _ key: String, expires: Int, at date: Date = Date()) -> String {
        let (host, base, path) = location(bucket: bucket, key: key)
        let request = SigV4Signer.Request(
            method: "GET", path: path, query: [], headers: [.init("Host", host)],
            payloadHash: SigV4Signer.unsignedPayload)
        let signature = signer.presign(request, at: date, expires: expires)
        return base + SigV4Signer.target(path: path, query: signature.fields)
    }

    /// A request signed now (SigV4), for `bucket`/`key` at the endpoint.
    func signed(
        _ method: HTTPMethod, bucket: String, key: String?, query: [SigV4Signer.Field] = [],
        headers extra: [(String, String)] = [], body: [UInt8] = []
    ) -> HTTPClientRequest {
        let (host, base, path) = location(bucket: bucket, key: key)
        let unsigned = SigV4Signer.Request(
            method: method.rawValue, path: path, query: query,
            headers: [.init("Host", host)] + extra.map { .init($0.0, $0.1) },
            payloadHash: SigV4Signer.payloadHash(body))
        let signed = signer.sign(unsigned, at: Date())
        var request = HTTPClientRequest(url: base + SigV4Signer.target(path: path, query: query))
        request.method = method
        for (name, value) in extra { request.headers.add(name: name, value: value) }
        for field in signed.fields { request.headers.add(name: field.name, value: field.value) }
        if !body.isEmpty || method == .PUT || method == .POST {
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        return request
    }

    func send(
        _ operation: String, method: HTTPMethod, bucket: String, key: String?, query: [SigV4Signer.Field] = [],
        headers extra: [(String, String)] = [], body: [UInt8] = [], maxBody: Int = 64 << 10
    ) async throws -> Response {
        var lastError: any Error = S3Failure(operation: operation, status: 0, code: "", message: "not sent")
        for attempt in 1...attempts {
            if attempt > 1 { try await Task.sleep(for: .milliseconds(200 << attempt)) }
            let request = signed(method, bucket: bucket, key: key, query: query, headers: extra, body: body)
            let started = ContinuousClock.now
            defer {
                CoreMetrics.Timer(
                    label: "herd_object_storage_request_duration_seconds", dimensions: [("operation", operation)],
                    factory: metrics
                ).recordNanoseconds((ContinuousClock.now - started).nanoseconds)
            }
            do {
                let response = try await http.execute(request, timeout: Self.timeout)
                let status = Int(response.status.code)
                let limit = status >= 300 ? Self.maximumDocument : maxBody
                var buffer = try await response.body.collect(upTo: max(limit, 0))
                let result = Response(
                    operation: operation, status: status, headers: response.headers,
                    body: buffer.readBytes(length: buffer.readableBytes) ?? [])
                if status >= 500 {
                    failed(operation)
                    lastError = result.failure
                    continue
                }
                return result
            } catch let error as NIOTooManyBytesError {
                throw S3Failure(operation: operation, status: 0, code: "TooLarge", message: "\(error)")
            } catch {
                if Task.isCancelled { throw error }
                failed(operation)
                lastError = error
            }
        }
        throw Self.unavailable(operation, lastError)
    }

    /// A request the network or the server failed (each attempt counts).
    func failed(_ operation: String) {
        Counter(label: "herd_object_storage_errors_total", dimensions: [("operation", operation)], factory: metrics)
            .increment()
    }

    /// The bucket's server did not answer, or kept failing (5xx): a 503 with `Retry-After` for clients and a clear
    /// log line, not a 500.
    static func unavailable(_ operation: String, _ error: any Error) -> HerdError {
        HerdError(
            .unavailable, "Media storage is unavailable at the moment; try again shortly.",
            cause: "object storage \(operation): \(error)")
    }
}
