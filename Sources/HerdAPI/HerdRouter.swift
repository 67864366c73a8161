import HerdCore
import HerdProcessing
import Hummingbird

/// Builds the router with every route and the middleware chain:
/// client address (trusted proxies) → request log → problem+json errors → bearer authentication → routes.
public enum HerdRouter {
    public static func build(services: APIServices) -> Router<HerdRequestContext> {
        let processing = services.processing
        let settings = services.settings
        let listing = VideoListing(
            catalog: processing.catalog, cache: services.listCache, clock: services.clock, settings: settings)
        // The browser client, when `Web/` was found.
        let web = services.webDirectory.map { _ in
            WebClient(pages: services.webPages, catalog: processing.catalog, settings: settings)
        }
        let router = Router(context: HerdRequestContext.self)
        router.add(middleware: ClientAddressMiddleware(network: services.settings.network))
        router.add(middleware: RequestLogMiddleware<HerdRequestContext>())
        router.add(middleware: ProblemMiddleware(errorPage: services.webPages["error.html"]))
        router.add(middleware: AuthMiddleware(sessions: processing.sessions))
        OAuthController(
            sessions: processing.sessions, limiter: services.rateLimiters.login, settings: settings,
            clock: services.clock
        ).addRoutes(to: router)
        UsersController(
            users: processing.users, registerLimiter: services.rateLimiters.signup, settings: settings,
            clock: services.clock
        ).addRoutes(to: router)
        LegacyUploadController(
            ingest: processing.ingest, reservations: processing.uploadReservations,
            limiter: services.rateLimiters.uploads, scratchFolder: processing.layout.tmp, clock: services.clock
        ).addRoutes(to: router)
        ResumableUploadController(
            uploads: processing.resumableUploads, limiter: services.rateLimiters.uploads,
            maxMetadata: settings.apiMaxBodySize, clock: services.clock
        ).addRoutes(to: router)
        AccountsController(
            accounts: processing.accountDirectory, channels: processing.channels, listing: listing, settings: settings
        ).addRoutes(to: router)
        ChannelsController(channels: processing.channels, listing: listing, settings: settings).addRoutes(to: router)
        VideosController(
            catalog: processing.catalog, listing: listing, editing: processing.editing,
            removal: processing.videoRemoval, settings: settings, clock: services.clock
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
        JobsController(jobs: processing.jobs, clock: services.clock).addRoutes(to: router)
        WellKnownController(
            documents: processing.documents, configuration: processing.configuration, settings: settings
        ).addRoutes(to: router)
        ActorController(documents: processing.documents, web: web, settings: settings).addRoutes(to: router)
        InboxController(inbox: services.processing.inbox, limiter: services.rateLimiters.inbox, clock: services.clock)
            .addRoutes(to: router)
        OutboxController(documents: processing.documents).addRoutes(to: router)
        ServerFollowsController(follows: services.processing.instanceFollows).addRoutes(to: router)
        RedundancyController(copies: processing.mirrorCopies, baseURL: settings.baseURL).addRoutes(to: router)
        if let tracker = services.tracker { TrackerController(tracker: tracker).addRoutes(to: router) }
        StaticFiles(services: services).addRoutes(to: router)
        web?.addRoutes(to: router)
        return router
    }
}
