import Foundation
import HerdCore
import Hummingbird
import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// JSON in and out, with PeerTube's conventions (ISO 8601 dates with milliseconds).
enum JSON {
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:])
        throws -> Response
    {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: try encode(value)))
    }

    /// Serializes with the hand-written writer when the type has one, otherwise the streaming encoder.
    static func encode(_ value: some Encodable) throws -> ByteBuffer {
        if let writable = value as? any JSONWritable {
            var writer = JSONWriter()
            writable.write(to: &writer)
            return ByteBuffer(bytes: writer.bytes)
        }
        return ByteBuffer(bytes: try StreamingJSONEncoder().encode(value))
    }

    /// Decodes a JSON body, refusing bodies over `limit` bytes and reporting which field is wrong.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T {
        let buffer = try await collect(request, limit: limit)
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw HerdError.badRequest(describe(error))
        }
    }

    static func collect(_ request: Request, limit: Int) async throws -> ByteBuffer {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw HerdError(.payloadTooLarge, "the request body is larger than \(limit) bytes")
        }
        do {
            return try await request.body.collect(upTo: limit)
        } catch let error as NIOTooManyBytesError {
            throw HerdError(.payloadTooLarge, "the request body is larger than \(limit) bytes", cause: "\(error)")
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            let text = codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
            return text.isEmpty ? "body" : text
        }
        switch error {
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)) must be of type \(type)"
        case .valueNotFound(_, let context):
            return "\(path(context.codingPath)) must not be null"
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])) is required"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "the body is not valid JSON" : "\(path(context.codingPath)) is invalid"
        @unknown default:
            return "the body is invalid"
        }
    }
}
