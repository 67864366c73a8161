import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Logs one line per request with its id, method, path, status and duration, and returns the id
/// in `X-Request-Id` so a user's report can be matched with the logs; every response gets
/// `X-Content-Type-Options: nosniff`.
public struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let start = ContinuousClock.now
        var response = try await next(request, context)
        response.headers[ResponseHeaders.requestID] = context.id
        // Every answer says what it is: browsers must not guess a type from the bytes (issue 14).
        response.headers[ResponseHeaders.noSniff] = "nosniff"
        if context.logger.logLevel <= .info {
            let elapsed = ContinuousClock.now - start
            let milliseconds = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
            context.logger.info(
                "\(request.method) \(request.uri.path) \(response.status.code)",
                metadata: ["duration_ms": "\(Int(milliseconds))"]
            )
        }
        return response
    }
}

enum ResponseHeaders {
    static let requestID = HTTPField.Name("X-Request-Id")!
    static let noSniff = HTTPField.Name("X-Content-Type-Options")!
}
