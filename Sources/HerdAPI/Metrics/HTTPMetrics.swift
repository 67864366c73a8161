import CoreMetrics
import Foundation
import HTTPTypes
import HerdCore
import Hummingbird
import Synchronization

/// `/metrics` (issue 18): requests and their durations by route, method and status, recorded by
/// `HTTPMetricsMiddleware`, and the text the composition root exports (Prometheus format), behind a bearer token.
public struct HTTPMetrics: Sendable {
    let factory: any MetricsFactory
    /// `metrics.token`: scrapers send `Authorization: Bearer <token>`.
    let token: String
    /// The registry's text, with the gauges read at scrape time (queue depth) brought up to date first.
    let export: @Sendable () async throws -> String

    public init(factory: any MetricsFactory, token: String, export: @escaping @Sendable () async throws -> String) {
        self.factory = factory
        self.token = token
        self.export = export
    }
}

/// Counts and times every request (`herd_http_requests_total`, `herd_http_request_duration_seconds`) by the route
/// that answered it (its pattern, not the path: `/api/v1/videos/{id}`), the method and the status.
struct HTTPMetricsMiddleware: RouterMiddleware {
    typealias Context = HerdRequestContext

    let factory: any MetricsFactory
    private let handles = HandleCache()
    /// Past this many distinct routes × methods × statuses, new ones are counted under `route="other"`.
    static let maximumSeries = 2000

    struct Key: Hashable {
        var route: String
        var method: HTTPRequest.Method
        var status: Int
    }

    struct Handles {
        var requests: Counter
        var duration: CoreMetrics.Timer
    }

    /// Media bytes answered under `/static/` and `/download/`: what torrents' web seeds (and players) fetch.
    let webSeedBytes: Counter

    init(factory: any MetricsFactory) {
        self.factory = factory
        webSeedBytes = Counter(label: "herd_web_seed_bytes_total", factory: factory)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            record(route: context.endpointPath, method: request.method, status: response.status.code, since: start)
            if request.method == .get, response.status == .ok || response.status == .partialContent,
                request.uri.path.hasPrefix("/static/") || request.uri.path.hasPrefix("/download/"),
                let length = response.headers[.contentLength].flatMap({ Int64($0) }), length > 0
            {
                webSeedBytes.increment(by: length)
            }
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            record(route: context.endpointPath, method: request.method, status: status, since: start)
            throw error
        }
    }

    func record(route: String?, method: HTTPRequest.Method, status: Int, since start: ContinuousClock.Instant) {
        let found = handles(Key(route: route ?? "unmatched", method: method, status: status))
        found.requests.increment()
        found.duration.recordNanoseconds((ContinuousClock.now - start).nanoseconds)
    }

    /// The metrics of each route, method and status, made once.
    final class HandleCache: Sendable {
        let known = Mutex<[Key: Handles]>([:])
    }

    private func handles(_ asked: Key) -> Handles {
        handles.known.withLock { known in
            if let found = known[asked] { return found }
            let key =
                known.count < Self.maximumSeries
                ? asked : Key(route: "other", method: asked.method, status: asked.status)
            if let found = known[key] { return found }
            let dimensions = [("route", key.route), ("method", key.method.rawValue), ("status", String(key.status))]
            let made = Handles(
                requests: Counter(label: "herd_http_requests_total", dimensions: dimensions, factory: factory),
                duration: CoreMetrics.Timer(
                    label: "herd_http_request_duration_seconds", dimensions: Array(dimensions.prefix(2)),
                    factory: factory))
            known[key] = made
            return made
        }
    }
}

/// `GET /metrics`: Prometheus' text format, for a scraper holding `metrics.token`.
struct MetricsController: Sendable {
    let metrics: HTTPMetrics

    func addRoutes(to router: Router<HerdRequestContext>) {
        router.get("/metrics", use: scrape)
    }

    func scrape(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let presented = request.headers[.authorization].flatMap {
            $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil
        }
        guard let presented, Self.same(presented, metrics.token) else {
            throw HerdError(.unauthorized, "metrics need the scraper's bearer token (metrics.token)")
        }
        let text = try await metrics.export()
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// Compares in time that depends on the lengths only.
    static func same(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
