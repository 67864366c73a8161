import HerdCore
import HerdProcessing
import HerdSeeder
import Hummingbird

/// Builds the router with every route and the middleware chain:
/// (metrics →) client address (trusted proxies) → request log → problem+json errors → bearer authentication → routes.
/// Each controller gets only the processors (and HTTP parts) it uses.
public enum HerdRouter {
    /// - Parameters:
    ///   - web: the browser client, when `Web/` was found;
    ///   - listCache: serialized public lists for anonymous visitors, cleared by every `ContentChanged`;
    ///   - rateLimiters: per-address limits on logins, sign-ups, inbox deliveries and uploads (`rates_limit.*`);
    ///   - uploadThrottle: `p2p.max_upload_rate`, shared by the seeder and the media served over HTTP (web seeds);
    ///   - tracker: the tracker behind `/tracker/announce` and `/tracker/scrape`, when `p2p.enabled`;
    ///   - zeroCopy: static files by `sendfile`, when the server's connections carry `SendfileHandler` (router tests
    ///     have no connections, so they get the bytes);
    ///   - metrics: request metrics and `/metrics`, when `metrics.enabled`.
    public static func build(
        processing: Processing, web assets: WebAssets?, listCache: ListCache, rateLimiters: RateLimiters,
        uploadThrottle: UploadThrottle, tracker: TrackerService?, zeroCopy: ZeroCopyFiles?, metrics: HTTPMetrics?
    ) -> Router<HerdRequestContext> {
        let settings = processing.settings
        let clock = processing.clock
        let listing = VideoListing(catalog: processing.catalog, cache: listCache, clock: clock, settings: settings)
        let web = assets.map { WebClient(assets: $0, catalog: processing.catalog, settings: settings) }
        let router = Router(context: HerdRequestContext.self)
        if let metrics { router.add(middleware: HTTPMetricsMiddleware(factory: metrics.factory)) }
        router.add(middleware: ClientAddressMiddleware(network: settings.network))
        router.add(middleware: RequestLogMiddleware<HerdRequestContext>())
        router.add(middleware: ProblemMiddleware(errorPage: assets?.pages["error.html"]))
        // Before the users' bearer tokens: the scraper's is not one of them.
        if let metrics { MetricsController(metrics: metrics).addRoutes(to: router) }
        router.add(middleware: AuthMiddleware(sessions: processing.sessions))
        OAuthController(
            sessions: processing.sessions, limiter: rateLimiters.login, settings: settings,
            clock: clock
        ).addRoutes(to: router)
        UsersController(
            users: processing.users, registerLimiter: rateLimiters.signup, settings: settings,
            clock: clock
        ).addRoutes(to: router)
        LegacyUploadController(
            ingest: processing.ingest, reservations: processing.uploadReservations,
            limiter: rateLimiters.uploads, scratchFolder: processing.layout.tmp, clock: clock
        ).addRoutes(to: router)
        ResumableUploadController(
            uploads: processing.resumableUploads, limiter: rateLimiters.uploads,
            maxMetadata: settings.apiMaxBodySize, clock: clock
        ).addRoutes(to: router)
        AccountsController(
            accounts: processing.accountDirectory, channels: processing.channels, listing: listing, settings: settings
        ).addRoutes(to: router)
        ChannelsController(channels: processing.channels, listing: listing, settings: settings).addRoutes(to: router)
        VideosController(
            catalog: processing.catalog, listing: listing, editing: processing.editing,
            removal: processing.videoRemoval, settings: settings, clock: clock
        ).addRoutes(to: router)
        VideoFilesAccessController(catalog: processing.catalog, access: processing.filesAccess).addRoutes(to: router)
        SearchController(remoteSearch: processing.remoteSearch, listing: listing, settings: settings)
            .addRoutes(to: router)
        CommentsController(catalog: processing.catalog, comments: processing.comments, settings: settings)
            .addRoutes(to: router)
        InteractionsController(catalog: processing.catalog, interactions: processing.videoInteractions)
            .addRoutes(to: router)
        AbusesController(abuses: processing.abuses, settings: settings).addRoutes(to: router)
        ConfigController(configuration: processing.configuration, settings: settings).addRoutes(to: router)
        JobsController(jobs: processing.jobs, clock: clock).addRoutes(to: router)
        WellKnownController(
            documents: processing.documents, configuration: processing.configuration, settings: settings
        ).addRoutes(to: router)
        ActorController(documents: processing.documents, web: web, settings: settings).addRoutes(to: router)
        InboxController(inbox: processing.inbox, limiter: rateLimiters.inbox, clock: clock)
            .addRoutes(to: router)
        CollectionsController(documents: processing.documents).addRoutes(to: router)
        ServerFollowsController(follows: processing.instanceFollows).addRoutes(to: router)
        RedundancyController(copies: processing.mirrorCopies, baseURL: settings.baseURL).addRoutes(to: router)
        if let tracker { TrackerController(tracker: tracker).addRoutes(to: router) }
        StaticFiles(
            layout: processing.layout, webDirectory: assets?.directory, access: processing.filesAccess,
            remoteImages: processing.remoteImages, media: processing.media, peers: processing.peers,
            uploadThrottle: uploadThrottle, zeroCopy: zeroCopy
        ).addRoutes(to: router)
        web?.addRoutes(to: router)
        return router
    }
}
