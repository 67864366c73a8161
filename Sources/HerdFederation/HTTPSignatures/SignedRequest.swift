import Foundation

/// What an HTTP Signature covers: the method, the path with its query, the headers and the body.
public struct SignedRequest: Sendable {
    public var method: String
    /// The request target as sent: path and query (`/accounts/bob/inbox`).
    public var target: String
    /// Header values by lowercased name; repeated headers joined with `, ` (draft-cavage-http-signatures-12 §2.3).
    public var headers: [String: String]
    public var body: [UInt8]

    public init(method: String, target: String, headers: [String: String], body: [UInt8] = []) {
        self.method = method
        self.target = target
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }) { first, next in "\(first), \(next)"
        }
        self.body = body
    }

    /// The signing string for `parameters.headers` (draft-cavage-http-signatures-12 §2.3): one `name: value` line
    /// per listed header, `(request-target)` as `post /path`, `(created)` and `(expires)` from the parameters.
    public func signingString(for parameters: SignatureParameters) throws(HTTPSignatureError) -> String {
        var lines: [String] = []
        for name in parameters.headers {
            switch name {
            case "(request-target)":
                lines.append("(request-target): \(method.lowercased()) \(target)")
            case "(created)":
                guard let created = parameters.created else { throw .malformed("(created) is signed but not given") }
                lines.append("(created): \(created)")
            case "(expires)":
                guard let expires = parameters.expires else { throw .malformed("(expires) is signed but not given") }
                lines.append("(expires): \(expires)")
            default:
                guard let value = headers[name] else { throw .missingHeader(name) }
                lines.append("\(name): \(value.trimmingCharacters(in: .whitespaces))")
            }
        }
        return lines.joined(separator: "\n")
    }
}
