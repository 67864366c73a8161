import Foundation
import HerdCore
import Hummingbird
import Logging

/// Turns every error into RFC 7807 `application/problem+json` with PeerTube's fields
/// (`type`, `title`, `status`, `detail`, `code`, and the legacy `error`). Internal causes are logged,
/// never sent. A browser opening a page (a GET that accepts HTML, outside `/api/`) gets the same problem as the
/// client's error page instead, with a way back (issue 15).
public struct ProblemMiddleware: RouterMiddleware {
    public typealias Context = HerdRequestContext

    /// The client's `error.html`, when there is a web client.
    let errorPage: String?

    public init(errorPage: String? = nil) {
        self.errorPage = errorPage
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            let problem = Problem(error: error)
            var extraHeaders = (error as? any ProblemHeaders)?.headers ?? [:]
            if let failure = error as? HerdError, failure.kind == .unavailable {
                // A part that is down (the database, the bucket): said in the log, and the client told when to retry.
                context.logger.error("request failed: a part is unavailable", metadata: ["error": "\(error)"])
                extraHeaders[.retryAfter] = extraHeaders[.retryAfter] ?? "10"
            } else if problem.status >= 500, problem.status != 503 {
                context.logger.error("request failed", metadata: ["error": "\(error)"])
            } else {
                // Other 503s are deliberate (a web seed sending a BitTorrent client back to its swarm), not faults.
                context.logger.debug("request refused", metadata: ["error": "\(error)"])
            }
            if let errorPage, Self.isPageRequest(request) {
                return WebClient.errorPage(errorPage, problem: problem, extraHeaders: extraHeaders)
            }
            return problem.response(extraHeaders: extraHeaders)
        }
    }
}

extension ProblemMiddleware {
    /// A browser loading a page: GET or HEAD, HTML accepted, not the API (whose clients want problem+json).
    static func isPageRequest(_ request: Request) -> Bool {
        guard request.method == .get || request.method == .head, !request.uri.path.hasPrefix("/api/"),
            let accept = request.headers[.accept]
        else { return false }
        return accept.contains("text/html")
    }
}

/// Errors that must add headers to their problem response (e.g. `Range` on a 409 upload mismatch).
protocol ProblemHeaders {
    var headers: HTTPFields { get }
}

/// An RFC 7807 problem document.
struct Problem: Encodable {
    var type: String
    var title: String
    var status: Int
    var detail: String
    var code: String?
    var error: String

    init(status: HTTPResponse.Status, detail: String, code: String? = nil) {
        self.type =
            code.map { "https://docs.joinpeertube.org/api-rest-reference.html#section/Errors/\($0)" } ?? "about:blank"
        self.title = status.reasonPhrase
        self.status = status.code
        self.detail = detail
        self.code = code
        self.error = detail
    }

    init(error: any Error) {
        switch error {
        case let error as HerdError:
            self.init(status: error.kind.status, detail: error.publicMessage, code: error.code)
        case let error as ProblemWithHeaders:
            self.init(status: error.error.kind.status, detail: error.error.publicMessage, code: error.error.code)
        case let error as HTTPError:
            self.init(status: error.status, detail: error.body ?? error.status.reasonPhrase)
        case let error as any HTTPResponseError:
            self.init(status: error.status, detail: error.status.reasonPhrase)
        default:
            self.init(status: .internalServerError, detail: "The server could not complete the request.")
        }
    }

    func response(extraHeaders: HTTPFields) -> Response {
        let data = (try? JSONEncoder().encode(self)) ?? Data()
        var headers = extraHeaders
        headers[.contentType] = "application/problem+json; charset=utf-8"
        return Response(
            status: HTTPResponse.Status(code: status), headers: headers,
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}

extension HerdError.Kind {
    var status: HTTPResponse.Status {
        switch self {
        case .badRequest: .badRequest
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .conflict: .conflict
        case .payloadTooLarge: .contentTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        case .unprocessable: .unprocessableContent
        case .tooManyRequests: .tooManyRequests
        case .rangeNotSatisfiable: .rangeNotSatisfiable
        case .unavailable: .serviceUnavailable
        case .internal: .internalServerError
        }
    }
}

/// A `HerdError` that carries extra response headers.
struct ProblemWithHeaders: Error, ProblemHeaders {
    var error: HerdError
    var headers: HTTPFields
}
