import Foundation
import HerdCore
import Hummingbird

/// Reads small bodies that may come as JSON, urlencoded or multipart form data.
enum FormInput {
    static func videoFields(from request: Request, limit: Int) async throws -> VideoFieldsInput {
        let contentType = request.headers[.contentType]?.lowercased() ?? "application/json"
        if contentType.hasPrefix("application/json") {
            return try await JSON.decode(VideoFieldsInput.self, from: request, limit: limit)
        }
        return try VideoFieldsInput(fields: try await fields(from: request, limit: limit))
    }

    /// Far more fields than any video form has (tags, passwords and a dozen others).
    static let maxFields = 1000

    /// Text fields of an urlencoded or multipart body; file parts are refused here.
    static func fields(from request: Request, limit: Int) async throws -> [String: [String]] {
        let contentType = request.headers[.contentType] ?? ""
        let body = try await JSON.collect(request, limit: limit)
        if contentType.lowercased().hasPrefix("application/x-www-form-urlencoded") {
            let form = FormParameters(String(buffer: body))
            guard form.count <= Self.maxFields else {
                throw HerdError.badRequest("a form has at most \(Self.maxFields) fields")
            }
            return form.grouped
        }
        guard let boundary = MultipartParser.boundary(fromContentType: contentType) else {
            throw HerdError(.unsupportedMediaType, "the body must be JSON, urlencoded or multipart/form-data")
        }
        var fields: [String: [String]] = [:]
        var parser = MultipartParser(boundary: boundary)
        var current: (name: String, value: [UInt8])?
        var count = 0
        do {
            for event in try parser.feed(body.readableBytesView) {
                switch event {
                case .partBegin(let headers):
                    guard let disposition = MultipartParser.disposition(headers) else {
                        throw HerdError.badRequest("a multipart part has no Content-Disposition name")
                    }
                    current = (Self.fieldName(disposition.name), [])
                case .partData(let bytes): current?.value.append(contentsOf: bytes)
                case .partEnd:
                    if let part = current {
                        fields[part.name, default: []].append(String(decoding: part.value, as: UTF8.self))
                        count += 1
                        guard count <= Self.maxFields else {
                            throw HerdError.badRequest("a form has at most \(Self.maxFields) fields")
                        }
                    }
                    current = nil
                case .end: break
                }
            }
            try parser.finish()
        } catch let error as MultipartParser.ParseError {
            throw HerdError.badRequest("the multipart body is malformed", cause: "\(error)")
        }
        return fields
    }

    /// `tags[]` and `tags[0]` name the same array as `tags`.
    static func fieldName(_ name: String) -> String {
        if let bracket = name.firstIndex(of: "[") { return String(name[..<bracket]) }
        return name
    }
}

extension HerdError {
    static func badRequest(_ message: String, cause: String) -> HerdError {
        HerdError(.badRequest, message, cause: cause)
    }
}
