import HerdCore
import HerdProcessing
import Hummingbird

/// Builds a `VideoQuery` from PeerTube's list parameters, applying the viewer's privacy rules, and renders the
/// page, answering anonymous requests from `ListCache`. Shared by `/videos`, `/accounts/{name}/videos` and
/// `/video-channels/{handle}/videos`.
struct VideoListing: Sendable {
    let catalog: VideoCatalog
    let cache: ListCache
    let clock: any WallClock
    let settings: Settings

    func query(from parameters: QueryParameters, viewer: Viewer, defaultSort: VideoSort = .publishedAtDesc) throws
        -> VideoQuery
    {
        var query = VideoQuery(
            pagination: try parameters.pagination(),
            sort: try VideoSort(query: parameters["sort"], default: defaultSort),
            privacies: VideoVisibility.listablePrivacies(for: viewer)
        )
        query.isLocal = try parameters.bool("isLocal")
        switch parameters["nsfw"] {
        case nil, "both": query.nsfw = nil
        case "true": query.nsfw = true
        case "false": query.nsfw = false
        default: throw HerdError.badRequest("nsfw must be true, false or both")
        }
        query.categoryOneOf = try parameters.integers("categoryOneOf")
        query.licenceOneOf = try parameters.integers("licenceOneOf")
        query.languageOneOf = parameters.all("languageOneOf")
        query.tagsOneOf = parameters.all("tagsOneOf").map { $0.lowercased() }
        query.tagsAllOf = parameters.all("tagsAllOf").map { $0.lowercased() }
        // Staff may widen the list: privacyOneOf, and include=1 for videos not yet published.
        if let user = viewer.user, user.role.isStaff {
            let privacies = try parameters.integers("privacyOneOf").map {
                guard let privacy = VideoPrivacy(rawValue: $0) else {
                    throw HerdError.badRequest("privacyOneOf holds an unknown privacy")
                }
                return privacy
            }
            if !privacies.isEmpty { query.privacies = Set(privacies) }
            if let include = parameters["include"].flatMap(Int.init), include & 1 != 0 { query.onlyPublished = false }
        } else if parameters["privacyOneOf"] != nil || (parameters["include"].flatMap(Int.init) ?? 0) != 0 {
            throw HerdError.unauthorized("privacyOneOf and include need a moderator or administrator")
        }
        return query
    }

    /// Renders the page; anonymous requests may be answered from `ListCache`.
    func response(for query: VideoQuery, request: Request, viewer: Viewer) async throws -> Response {
        // Keyed by the request target as sent, as `ListCacheHandler` looks lists up.
        let cacheKey = viewer.user == nil ? request.head.path ?? "" : nil
        let now = clock.now()
        if let cacheKey, let body = cache.body(for: cacheKey, now: now) {
            return Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: body)
            )
        }
        let page = try await catalog.list(query)
        let body = try JSON.encode(
            ListDTO(
                page.map { VideoDTO($0, baseURL: settings.baseURL, localHost: settings.publicHost, details: false) })
        )
        if let cacheKey { cache.store(body, for: cacheKey, now: now) }
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: body)
        )
    }
}
