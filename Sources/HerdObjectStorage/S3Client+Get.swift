import AsyncHTTPClient
import CoreMetrics
import HerdCore
import NIOCore
import NIOHTTP1

/// Streamed reads (GetObject): a viewer's private file relayed as it arrives, an original for the transcoder, pieces
/// for the seeder. The body is checked against the length the bucket announced.
extension S3Client {
    /// `range` of the object, streamed as it arrives (an original downloaded for the transcoder, pieces for the
    /// seeder). Not retried once it started: the caller sees the error.
    public func stream(_ bucket: String, _ key: String, range: ClosedRange<Int64>) async throws
        -> AsyncThrowingStream<ByteBuffer, any Error>
    {
        guard let object = try await open(bucket, key, range: "bytes=\(range.lowerBound)-\(range.upperBound)") else {
            throw S3Failure(operation: "GetObject", status: 404, code: "NoSuchKey", message: key)
        }
        guard
            object.range == range || (object.range == nil && range.lowerBound == 0 && object.size == Int64(range.count))
        else { throw S3Failure(operation: "GetObject", status: 0, code: "RangeMismatch", message: key) }
        return object.body
    }

    /// An object being read: its size and validators, and the bytes as the bucket sends them.
    public struct ObjectStream: Sendable {
        public var size: Int64
        public var etag: String?
        public var lastModified: String?
        /// The bytes sent: all of the object (nil, a 200) or these (a 206).
        public var range: ClosedRange<Int64>?
        public var body: AsyncThrowingStream<ByteBuffer, any Error>
    }

    /// The object, or the bytes `range` (a `Range` header's value) names, in one GET: nil when there is no such
    /// object; an `S3Failure` with status 416 when no byte of it is in the range. The body comes in the buffers it
    /// arrived in, as the consumer asks for them (a slow viewer holds the bucket back, not Herd's memory), and is
    /// checked against the length announced. Not retried once it started: the caller sees the error.
    public func open(_ bucket: String, _ key: String, range: String?) async throws -> ObjectStream? {
        let request = signed(.GET, bucket: bucket, key: key, headers: range.map { [("Range", $0)] } ?? [])
        let response: HTTPClientResponse
        let started = ContinuousClock.now
        do {
            response = try await http.execute(request, timeout: Self.timeout)
        } catch {
            if !Task.isCancelled { failed("GetObject") }
            throw Task.isCancelled ? error : Self.unavailable("GetObject", error)
        }
        // Streamed: timed to the response's head (the body goes at the reader's pace).
        CoreMetrics.Timer(
            label: "herd_object_storage_request_duration_seconds", dimensions: [("operation", "GetObject")],
            factory: metrics
        ).recordNanoseconds((ContinuousClock.now - started).nanoseconds)
        let status = Int(response.status.code)
        let length = response.headers.first(name: "Content-Length").flatMap { Int64($0) }
        var object = ObjectStream(
            size: 0, etag: response.headers.first(name: "ETag"),
            lastModified: response.headers.first(name: "Last-Modified"), range: nil,
            body: AsyncThrowingStream { nil })
        switch status {
        case 200:
            guard let length, length >= 0 else { throw Self.malformed(key, "no Content-Length") }
            object.size = length
        case 206:
            // RFC 9110 §14.4: `bytes first-last/size`.
            guard let contentRange = response.headers.first(name: "Content-Range").flatMap(ContentRange.init(header:)),
                let range = contentRange.range, length == Int64(range.count)
            else { throw Self.malformed(key, "no usable Content-Range") }
            (object.size, object.range) = (contentRange.total, range)
        case 404:
            return nil
        default:
            var buffer = try await response.body.collect(upTo: Self.maximumDocument)
            throw Response(
                operation: "GetObject", status: status, headers: response.headers,
                body: buffer.readBytes(length: buffer.readableBytes) ?? []
            ).failure
        }
        let reader = BodyReader(response.body.makeAsyncIterator())
        let expected = object.range?.count ?? Int(object.size)
        object.body = AsyncThrowingStream {
            guard let buffer = try await reader.iterator.next() else {
                guard reader.received == expected else {
                    throw S3Failure(operation: "GetObject", status: status, code: "ShortBody", message: key)
                }
                return nil
            }
            reader.received += buffer.readableBytes
            guard reader.received <= expected else {
                throw S3Failure(operation: "GetObject", status: status, code: "LongBody", message: key)
            }
            return buffer
        }
        return object
    }

    static func malformed(_ key: String, _ problem: String) -> S3Failure {
        S3Failure(operation: "GetObject", status: 0, code: "MalformedResponse", message: "\(key): \(problem)")
    }

    /// A response body's iterator, advanced by one consumer at a time (`AsyncThrowingStream(unfolding:)` awaits each
    /// element before asking for the next).
    final class BodyReader<Iterator: AsyncIteratorProtocol>: @unchecked Sendable {
        var iterator: Iterator
        /// Bytes read so far, for the checks against the announced length.
        var received = 0

        init(_ iterator: Iterator) { self.iterator = iterator }
    }
}
