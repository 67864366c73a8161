import Foundation
import HTTPTypes
import HerdCore
import HerdFederation
import Hummingbird
import Logging
import NIOCore
import NIOHTTPTypes

/// Answers an anonymous `GET` whose list `ListCache` holds right in the connection's pipeline, before the request
/// becomes a task and goes through the router and its middleware (issue 16: the home page's list is the most
/// requested thing a server answers, and the framework's per-request work cost more than the cached bytes).
///
/// It answers only between requests: while a request it passed on is still being answered, the next ones pass on
/// too, so responses keep their order on a pipelined connection. The answer carries what the middleware would add
/// (`X-Request-Id`, `X-Content-Type-Options`, and `Date` and `Server` as Hummingbird writes them), and is logged as
/// `RequestLogMiddleware` logs.
final class ListCacheHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let cache: ListCache
    private let clock: any WallClock
    private let logger: Logger
    /// Requests passed on whose responses have not ended.
    private var inFlight = 0
    /// The rest of a request answered here (its end) is dropped.
    private var answered = false

    init(cache: ListCache, clock: any WallClock, logger: Logger) {
        self.cache = cache
        self.clock = clock
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request):
            if inFlight == 0, let (body, now) = cached(request) {
                answered = true
                answer(context: context, request: request, body: body, now: now)
                return
            }
            inFlight += 1
        case .body:
            if answered { return }
        case .end:
            if answered {
                answered = false
                return
            }
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), inFlight > 0 { inFlight -= 1 }
        context.write(data, promise: promise)
    }

    /// Only anonymous requests (no `Authorization`) may have a list from the cache: the cache holds only what an
    /// anonymous visitor is shown.
    private func cached(_ request: HTTPRequest) -> (body: ByteBuffer, now: Date)? {
        guard request.method == .get, let target = request.path, target.hasPrefix("/api/v1/"),
            request.headerFields[.authorization] == nil
        else { return nil }
        let now = clock.now()
        return cache.body(for: target, now: now).map { ($0, now) }
    }

    private func answer(context: ChannelHandlerContext, request: HTTPRequest, body: ByteBuffer, now: Date) {
        let id = RequestID().description
        var fields = HTTPFields()
        fields[.contentType] = "application/json; charset=utf-8"
        fields[.contentLength] = String(body.readableBytes)
        fields[ResponseHeaders.requestID] = id
        fields[ResponseHeaders.noSniff] = "nosniff"
        fields[.date] = HTTPDate.format(Int(now.timeIntervalSince1970.rounded(.down)))
        fields[.server] = "Herd"
        context.write(wrapOutboundOut(.head(HTTPResponse(status: .ok, headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        if request.headerFields[.connection]?.lowercased() == "close" {
            let channel = context.channel
            let written = context.eventLoop.makePromise(of: Void.self)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
            written.futureResult.whenComplete { _ in channel.close(promise: nil) }
        } else {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
        if logger.logLevel <= .info {
            let path = (request.path ?? "").prefix { $0 != "?" }
            logger.info("GET \(path) 200", metadata: ["hb.request.id": "\(id)", "cache": "list"])
        }
    }
}

extension ListCache {
    /// The handler for one connection's pipeline (none when the cache is off).
    public func connectionHandlers(clock: any WallClock, logger: Logger) -> [any RemovableChannelHandler] {
        isEnabled ? [ListCacheHandler(cache: self, clock: clock, logger: logger)] : []
    }
}
