import Foundation
import HerdCore
import HerdFederation
import HerdProcessing
import Hummingbird

/// `GET /api/v1/search/videos`: typo-tolerant search over local and federated videos (names and tags, by
/// trigrams), with the list filters plus host, duration and date ranges; sorted by relevance (`-match`) unless
/// asked otherwise. A logged-in user searching for a video's URL gets that video fetched from its instance.
struct SearchController: Sendable {
    let remoteSearch: RemoteVideoSearch
    let listing: VideoListing
    let settings: Settings
    static let maxSearchLength = 250

    func addRoutes(to router: Router<HerdRequestContext>) {
        router.get("/api/v1/search/videos", use: videos)
    }

    @Sendable func videos(_ request: Request, context: HerdRequestContext) async throws -> Response {
        let parameters = QueryParameters(request.uri.query)
        guard let search = parameters["search"]?.trimmingCharacters(in: .whitespaces), !search.isEmpty else {
            throw HerdError.badRequest("search is required")
        }
        guard search.count <= Self.maxSearchLength else {
            throw HerdError.badRequest("search is longer than \(Self.maxSearchLength) characters")
        }
        if let target = parameters["searchTarget"], target != "local" {
            throw HerdError.badRequest("searchTarget must be local (this instance has no search index)")
        }
        if IncomingActivity.isHTTP(search) {
            return try await byURL(search, request: request, context: context)
        }
        var query = try listing.query(
            from: parameters, viewer: context.viewer, defaultSort: VideoSort(column: .match, descending: true))
        query.search = search
        if let host = parameters["host"]?.lowercased() {
            query.host = host == settings.publicHost.lowercased() ? "" : host
        }
        query.durationMin = try Self.integer(parameters, "durationMin")
        query.durationMax = try Self.integer(parameters, "durationMax")
        query.startDate = try Self.date(parameters, "startDate")
        query.endDate = try Self.date(parameters, "endDate")
        query.originallyPublishedStartDate = try Self.date(parameters, "originallyPublishedStartDate")
        query.originallyPublishedEndDate = try Self.date(parameters, "originallyPublishedEndDate")
        return try await listing.response(for: query, request: request, viewer: context.viewer)
    }

    /// PeerTube's remote URI search: the video at that URL, known already or fetched now (users only).
    func byURL(_ url: String, request: Request, context: HerdRequestContext) async throws -> Response {
        let found = try await remoteSearch.find(url: url, viewer: context.viewer)
        let page = Page(total: found == nil ? 0 : 1, data: [found].compactMap { $0 }).map {
            VideoDTO($0, baseURL: settings.baseURL, localHost: settings.publicHost, details: false)
        }
        return try JSON.response(ListDTO(page))
    }

    static func integer(_ parameters: QueryParameters, _ name: String) throws -> Int? {
        guard let text = parameters[name] else { return nil }
        guard let value = Int(text), value >= 0 else { throw HerdError.badRequest("\(name) must be a whole number") }
        return value
    }

    static func date(_ parameters: QueryParameters, _ name: String) throws -> Date? {
        guard let text = parameters[name] else { return nil }
        guard let date = ISODate.parse(text) else { throw HerdError.badRequest("\(name) must be an ISO 8601 date") }
        return date
    }
}
