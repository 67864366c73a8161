import HTTPTypes
import HerdCore
import Hummingbird

/// Who the client is: the connection's address, or when it comes from a trusted proxy
/// (`webserver.trusted_proxies`) the address that proxy forwarded in `X-Forwarded-For`. Nobody else's forwarding
/// headers are believed, so a client cannot pick the address its rate limits are counted against.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = HerdRequestContext
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!
    let network: NetworkSettings

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        guard let header = request.headers[Self.forwardedFor] else { return try await next(request, context) }
        var context = context
        context.forwarded = true
        context.remoteIP = network.clientAddress(connection: context.remoteIP, forwardedFor: header)
        return try await next(request, context)
    }
}
