import HerdCore
import HerdProcessing
import Hummingbird

/// Builds the router with every route and the middleware chain:
/// client address (trusted proxies) → request log → problem+json errors → bearer authentication → routes.
public enum HerdRouter {
    public static func build(services: APIServices) -> Router<HerdRequestContext> {
        let router = Router(context: HerdRequestContext.self)
        router.add(middleware: ClientAddressMiddleware(network: services.settings.network))
        router.add(middleware: RequestLogMiddleware<HerdRequestContext>())
        router.add(middleware: ProblemMiddleware(errorPage: services.webPages["error.html"]))
        router.add(middleware: AuthMiddleware(services: services))
        OAuthController(services: services).addRoutes(to: router)
        UsersController(services: services).addRoutes(to: router)
        AccountsController(services: services).addRoutes(to: router)
        ChannelsController(services: services).addRoutes(to: router)
        LegacyUploadController(services: services).addRoutes(to: router)
        ResumableUploadController(services: services).addRoutes(to: router)
        VideosController(services: services).addRoutes(to: router)
        VideoFilesAccessController(services: services).addRoutes(to: router)
        SearchController(services: services).addRoutes(to: router)
        CommentsController(services: services).addRoutes(to: router)
        InteractionsController(services: services).addRoutes(to: router)
        AbusesController(services: services).addRoutes(to: router)
        ConfigController(services: services).addRoutes(to: router)
        JobsController(services: services).addRoutes(to: router)
        WellKnownController(services: services).addRoutes(to: router)
        ActorController(services: services).addRoutes(to: router)
        InboxController(inbox: services.processing.inbox, limiter: services.rateLimiters.inbox, clock: services.clock)
            .addRoutes(to: router)
        OutboxController(services: services).addRoutes(to: router)
        ServerFollowsController(follows: services.processing.instanceFollows).addRoutes(to: router)
        RedundancyController(services: services).addRoutes(to: router)
        if let tracker = services.tracker { TrackerController(tracker: tracker).addRoutes(to: router) }
        StaticFiles(services: services).addRoutes(to: router)
        WebClient(services: services).addRoutes(to: router)
        return router
    }
}
