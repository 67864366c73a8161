/// An error with two faces: an internal cause for the logs and a safe public message for clients.
///
/// Domain code throws `HerdError`; one middleware in the HTTP layer turns it into RFC 7807
/// `application/problem+json`. Nothing else builds HTTP errors from domain failures.
public struct HerdError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, in terms a client can act on. Each kind maps to one HTTP status.
    public enum Kind: Sendable, Equatable {
        case badRequest
        case unauthorized
        case forbidden
        case notFound
        case conflict
        case payloadTooLarge
        case unsupportedMediaType
        case unprocessable
        case tooManyRequests
        case rangeNotSatisfiable
        case unavailable
        case `internal`
    }

    public var kind: Kind
    /// Safe to show to anyone.
    public var publicMessage: String
    /// PeerTube's machine-readable `code` where it has one (e.g. `quota_reached`).
    public var code: String?
    /// Internal detail, logged but never sent to a client.
    public var cause: String?

    public init(_ kind: Kind, _ publicMessage: String, code: String? = nil, cause: String? = nil) {
        self.kind = kind
        self.publicMessage = publicMessage
        self.code = code
        self.cause = cause
    }

    public var description: String {
        var text = "\(kind): \(publicMessage)"
        if let code { text += " [\(code)]" }
        if let cause { text += " (cause: \(cause))" }
        return text
    }

    public static func badRequest(_ message: String, code: String? = nil) -> HerdError {
        HerdError(.badRequest, message, code: code)
    }
    public static func notFound(_ message: String) -> HerdError { HerdError(.notFound, message) }
    public static func forbidden(_ message: String) -> HerdError { HerdError(.forbidden, message) }
    public static func unauthorized(_ message: String, code: String? = nil) -> HerdError {
        HerdError(.unauthorized, message, code: code)
    }
    public static func conflict(_ message: String) -> HerdError { HerdError(.conflict, message) }
    public static func unprocessable(_ message: String) -> HerdError { HerdError(.unprocessable, message) }
    public static func internalError(_ cause: String) -> HerdError {
        HerdError(.internal, "The server could not complete the request.", cause: cause)
    }
}
