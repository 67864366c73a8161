import Foundation
import HerdCore
import HerdFederation
import HerdProcessing
import Hummingbird

/// `GET /api/v1/search/videos`: typo-tolerant search over local and federated videos (names and tags, by
/// trigrams), with the list filters plus host, duration and date ranges; sorted by relevance (`-match`) unless
/// asked otherwise. A logged-in user searching for a video's URL gets that video fetched from its instance.
public struct SearchController: Sendable {
    let services: APIServices
    static let maxSearchLength = 250

    public init(services: APIServices) {
        self.services = services
    }

    public func addRoutes(to router: Router<HerdRequestContext>) {
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
        let listing = VideoListing(services: services)
        var query = try listing.query(
            from: parameters, viewer: context.viewer, defaultSort: VideoSort(column: .match, descending: true))
        query.search = search
        if let host = parameters["host"]?.lowercased() {
            query.host = host == services.settings.publicHost.lowercased() ? "" : host
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
        var found = try await services.stores.videos.find(url: url)
        if found == nil, context.viewer.user != nil {
            found = try? await services.processing.remoteVideos.fetchAndSave(url, vouchedBy: nil)
        }
        if found == nil, let local = Self.localVideo(url, baseURL: services.settings.baseURL) {
            found = try await services.stores.videos.find(local)
        }
        let visible = [found].compactMap { $0 }.filter { item in
            VideoVisibility.canView(item.video, ownerUserId: item.account.userId, viewer: context.viewer)
                && (item.video.privacy == .public || context.viewer.user?.role.isStaff == true)
        }
        let settings = services.settings
        let page = Page(total: visible.count, data: visible).map {
            VideoDTO($0, baseURL: settings.baseURL, localHost: settings.publicHost, details: false)
        }
        return try JSON.response(ListDTO(page))
    }

    /// A local video's watch URL (`/videos/watch/<uuid>` or `/w/<id>`) as a reference.
    static func localVideo(_ url: String, baseURL: String) -> VideoReference? {
        for prefix in ["/videos/watch/", "/w/"] where url.hasPrefix(baseURL + prefix) {
            return VideoReference(String(url.dropFirst(baseURL.count + prefix.count)))
        }
        return nil
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
