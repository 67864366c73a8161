import CoreMetrics
import Foundation
import HerdAPI
import HerdCore
import HerdCrypto
import HerdFederation
import HerdFederationClient
import HerdJobs
import HerdMedia
import HerdMediaStore
import HerdPostgres
import HerdProcessing
import HerdSeeder
import HerdTracker
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle

/// The composition root: wires settings, stores, storage and the HTTP API into one application.
public struct HerdApplication: Sendable {
    public let settings: Settings
    public let stores: Stores
    /// The PostgreSQL client when `database.kind` is postgres: a service of its own, stopped last.
    let postgres: PostgresStorage?
    /// Every processor, built once.
    public let processing: Processing
    /// Serialized public lists for anonymous visitors, cleared by every `ContentChanged`.
    let listCache: ListCache
    /// Per-address limits on logins, sign-ups, inbox deliveries and uploads (`rates_limit.*`).
    let rateLimiters: RateLimiters
    /// `p2p.max_upload_rate`, shared by the seeder and the media served over HTTP (the web seeds).
    let uploadThrottle: UploadThrottle
    /// The tracker behind `/tracker/announce`, `/tracker/scrape` and `/tracker/socket`, when `p2p.enabled` and
    /// `p2p.tracker.enabled`.
    public let tracker: TrackerService?
    /// The browser client's folder, when found (`web.dir`, or beside the binary's checkout).
    let web: WebAssets?
    public let logger: Logger
    /// Tracker, seeder and torrents, when `p2p.enabled`.
    let peers: PeerHub?
    /// Per-host limits and unreachable hosts for ActivityPub deliveries (one per process).
    let deliveryGate: DeliveryGate
    /// This process's metrics (`metrics.enabled`): its own registry, exported by `/metrics`.
    let metricsRegistry = PrometheusCollectorRegistry()
    var metricsFactory: any MetricsFactory { Self.metricsFactory(settings, metricsRegistry) }

    static func metricsFactory(_ settings: Settings, _ registry: PrometheusCollectorRegistry) -> any MetricsFactory {
        settings.metrics.enabled ? PrometheusMetricsFactory(registry: registry) : NOOPMetricsHandler.instance
    }
    /// Run the job workers and the views-and-ratings flusher among the background services. Tests that drive jobs
    /// (and drain interactions) themselves turn it off, since Hummingbird's test client runs an application's
    /// services too.
    public var runsJobWorkers = true
    /// The `herd` executable whose `transcode-job` command runs each transcode in a child process: this process's
    /// own binary, unless a test (whose process is not `herd`) names the built one.
    public var transcoderExecutable = HerdApplication.ownExecutable
    /// Send static files by `sendfile` through the connections' `SendfileHandler` (issue 16). Tests that run the
    /// router without connections turn it off (they would get the handler's markers instead of the bytes).
    public var zeroCopy = true

    static var ownExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// What a process of the instance does: serve (HTTP, and the work beside it), or only run jobs (`herd worker`).
    public enum Role: Sendable {
        case server, worker
    }

    /// Opens storage and the database and, for a server, makes sure an administrator exists.
    /// - Parameters:
    ///   - rootPassword: the first administrator's password; generated and printed when nil.
    ///   - fetcher: how other instances are reached when `federation.enabled` (tests give a fake fediverse); the
    ///     HTTP client by default.
    public init(
        settings: Settings, logger: Logger, rootPassword: String?, passwords: PasswordHasher = PasswordHasher(),
        clock: any WallClock = SystemWallClock(), fetcher: (any ActivityPubFetcher)? = nil,
        makeKeys: ActorKeyMaker = .rsa2048, role: Role = .server
    )
        async throws
    {
        self.settings = settings
        self.logger = logger
        deliveryGate = DeliveryGate(clock: clock, logger: logger)
        let layout = StorageLayout(root: settings.storageDir)
        for directory in layout.allDirectories {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        let database = try Database.open(settings, listensForJobs: true, logger: logger)
        stores = database.stores
        postgres = database.postgres
        if let postgres = database.postgres {
            postgres.start()
            try await postgres.migrate()
        }
        let uploadThrottle = UploadThrottle(bytesPerSecond: settings.p2p.maxUploadRate)
        self.uploadThrottle = uploadThrottle
        var tracker: TrackerService?
        let media = MediaStorage.open(settings, layout: layout, metrics: Self.metricsFactory(settings, metricsRegistry))
        if settings.p2p.enabled {
            let p2p = settings.p2p
            var limits = TrackerLimits()
            limits.announceInterval = Double(p2p.announceInterval)
            limits.minAnnounceInterval = Double(max(1, p2p.announceInterval / 2))
            limits.peerTimeout = Double(2 * p2p.announceInterval + 30)
            limits.maxPeersPerSwarm = p2p.maxPeersPerTorrent
            let swarms = TrackerService(limits: limits)
            tracker = swarms
            let seeder = Seeder(
                host: settings.listenHostname, port: p2p.seederPort, catalog: SeedCatalog(),
                throttle: uploadThrottle, maxConnections: p2p.seederMaxConnections,
                // Herd's own seeder is one of the swarm's seeds.
                seedersElsewhere: { max(0, swarms.seeders(in: $0) - 1) }, media: media, logger: logger
            )
            let torrents = VideoTorrents(stores: stores, layout: layout, baseURL: settings.baseURL, clock: clock)
            var announceRemotely: (@Sendable (String) async throws -> [UInt8])?
            if settings.federation.enabled {
                let client = Self.federationClient(settings)
                announceRemotely = { url in try await client.fetchMedia(url, maxBytes: 65536) }
            }
            let hub = PeerHub(
                tracker: swarms, seeder: seeder, settings: settings, layout: layout, media: media, torrents: torrents,
                logger: logger, announceRemotely: announceRemotely
            )
            peers = hub
        } else {
            peers = nil
        }
        processing = Processing(
            settings: settings, stores: stores, layout: layout, media: media, passwords: passwords, clock: clock,
            peers: peers ?? PeerDeliveryDisabled(),
            fetcher: settings.federation.enabled ? fetcher ?? Self.federationClient(settings) : nil,
            makeKeys: makeKeys, logger: logger,
            metrics: ProcessingMetrics(factory: Self.metricsFactory(settings, metricsRegistry)))
        // A node without `p2p.tracker.enabled` makes torrents naming the tracker, but answers none of `/tracker/`.
        self.tracker = settings.p2p.trackerEnabled ? tracker : nil
        // Several nodes: each one's changes clear the others' list caches too.
        database.postgres?.relay(processing.events)
        listCache = ListCache(lifetime: TimeInterval(settings.listCacheTTL))
        listCache.invalidates(on: processing.events)
        rateLimiters = RateLimiters(settings.network.rateLimits)
        web = WebAssets.locate(configured: settings.webDirectory)
        // A worker only runs jobs: what an instance needs before it serves is the servers' to do.
        guard role == .server else { return }
        try await Self.ensureRootUser(processing: processing, password: rootPassword, logger: logger)
        // ActivityPub: the instance actor, and keys for local actors made before federation existed.
        let keyed = try await processing.actors.prepare()
        if keyed > 0 { logger.notice("made ActivityPub keys for local actors", metadata: ["count": "\(keyed)"]) }
        // Files a crash left half moved between the public and private folders go where their privacy says. (Jobs
        // left running by a crash go back to the queue when their lease expires: `JobLeaseReaper`. Another process
        // sharing the database may be running them now.)
        _ = try await processing.privateFiles.reconcile(logger: logger)
    }

    /// Creates the `root` administrator on an empty database, printing its password once.
    static func ensureRootUser(processing: Processing, password: String?, logger: Logger) async throws {
        guard try await processing.stores.users.count() == 0 else { return }
        let generated = password ?? SecureRandom.alphanumeric(20)
        do {
            _ = try await processing.accounts.create(
                username: "root", password: generated, email: "admin@\(processing.settings.webserverHostname)",
                role: .administrator, quota: -1
            )
        } catch let error as HerdError where error.kind == .conflict {
            // Another node starting on the same fresh database made it first (issue 18).
            return
        }
        if password == nil {
            let message = """
                Created the administrator account:
                  Username: root
                  Password: \(generated)
                Keep this password: it is shown only once.

                """
            FileHandle.standardOutput.write(Data(message.utf8))
        } else {
            logger.info("created the administrator account 'root' with the password from HERD_ROOT_PASSWORD")
        }
    }

    /// Deliveries in flight at once.
    static let deliveryConcurrency = 8
    /// Connections taken from the listening socket's queue per wake-up (NIO's default is 4).
    static let acceptsPerWakeup: UInt = 256

    /// Every kind of background job this instance runs.
    public var jobHandlers: [any JobHandler] {
        [
            TranscodeVideoJob(
                stores: stores, media: processing.media,
                engine: TranscoderProcess(executable: transcoderExecutable, logger: logger), peers: processing.peers,
                federation: processing.videoFederation, locks: processing.videoLocks, events: processing.events,
                settings: settings.transcoding,
                scratchFolder: processing.layout.tmp, clock: processing.clock, logger: logger,
                metrics: processing.metrics)
        ]
    }

    /// Background jobs that talk to other instances (deliveries), run apart from transcoding so a long transcode
    /// never holds them up.
    public var federationHandlers: [any JobHandler] {
        guard settings.federation.enabled else { return [] }
        return [
            DeliverActivityJob(
                actors: processing.actors, client: Self.federationClient(settings), gate: deliveryGate,
                metrics: processing.metrics),
            BackfillOutboxJob(backfill: processing.outboxBackfill, logger: logger),
            CopyVideoJob(copies: processing.mirrorCopies),
        ]
    }

    static func federationClient(_ settings: Settings) -> FederationClient {
        FederationClient(
            allowPrivateAddresses: settings.federation.allowPrivateAddresses,
            policy: FederationPolicy(settings.federation), userAgent: "Herd (PeerTube-compatible; +\(settings.baseURL))"
        )
    }

    /// The work that runs beside the HTTP server: the upload janitor, and unless `runsJobWorkers` is off, the job
    /// workers, the views-and-ratings flusher and the mirror scheduler; the seeder's announcer with peers. With
    /// several nodes the janitors, the reaper and the mirror's rounds run on one node at a time (`SingletonLocks`);
    /// each node flushes the views it gathered in its own memory.
    var backgroundServices: [any Service] {
        var background: [any Service] = [
            UploadJanitor(
                stores: stores, layout: processing.layout, expiry: settings.resumableUploadExpiry,
                clock: processing.clock, logger: logger),
            RecordJanitor(stores: stores, clock: processing.clock, logger: logger),
            leaseReaper,
        ]
        if runsJobWorkers {
            background.append(
                InteractionFlusher(
                    stores: stores, interactions: processing.interactions, federation: processing.videoFederation,
                    events: processing.events, logger: logger))
            background.append(
                MirrorScheduler(
                    stores: stores, copies: processing.mirrorCopies, healthChecks: processing.mirrorHealthChecks,
                    settings: settings.redundancy, enabled: settings.federation.enabled, clock: processing.clock,
                    logger: logger))
            background += jobWorkers(
                transcoding: settings.transcoding.remoteOnly ? 0 : settings.transcoding.concurrency)
        }
        if let peers, settings.p2p.trackerEnabled {
            background.append(
                SeederAnnouncer(
                    hub: peers, stores: stores, announceInterval: settings.p2p.announceInterval, logger: logger))
        }
        return background
    }

    /// Every process returns the expired leases of any (a third of a lease after they expire at most).
    var leaseReaper: JobLeaseReaper {
        JobLeaseReaper(
            store: stores.jobs, clock: processing.clock,
            interval: .seconds(max(1, settings.jobs.leaseDuration / 3)), logger: logger,
            metrics: JobMetrics(factory: metricsFactory), locks: stores.singletons)
    }

    /// The job workers of this process: `transcoding` transcodes at once (none: another process transcodes), and
    /// the deliveries and copies beside them.
    func jobWorkers(transcoding: Int) -> [any Service] {
        var workers: [any Service] = []
        if transcoding > 0 {
            workers.append(
                JobWorkers(
                    store: stores.jobs, handlers: jobHandlers, concurrency: transcoding, clock: processing.clock,
                    logger: logger, lease: jobLeasing, metrics: JobMetrics(factory: metricsFactory)))
        }
        let deliveries = federationHandlers
        if !deliveries.isEmpty {
            workers.append(
                JobWorkers(
                    store: stores.jobs, handlers: deliveries, concurrency: Self.deliveryConcurrency,
                    clock: processing.clock, logger: logger, lease: jobLeasing,
                    metrics: JobMetrics(factory: metricsFactory)))
        }
        return workers
    }

    /// How this process's workers lease jobs (`jobs.lease_duration`).
    var jobLeasing: JobLeasing { JobLeasing(duration: TimeInterval(settings.jobs.leaseDuration)) }

    /// Services that must outlive every other (the PostgreSQL client): first in the service group, stopped last.
    var databaseServices: [any Service] { postgres.map { [$0] } ?? [] }

    /// The router with every route, each controller given the processors it uses.
    public func router(zeroCopy: ZeroCopyFiles? = nil) -> Router<HerdRequestContext> {
        HerdRouter.build(
            processing: processing, web: web, listCache: listCache, rateLimiters: rateLimiters,
            uploadThrottle: uploadThrottle, tracker: tracker, zeroCopy: zeroCopy, metrics: httpMetrics)
    }

    /// `/metrics` and the request metrics, when `metrics.enabled`: the registry's text, with the queue depth read
    /// from the database at each scrape (`herd_jobs{kind,state}`, every node sees the whole queue).
    var httpMetrics: HTTPMetrics? {
        guard settings.metrics.enabled else { return nil }
        let (factory, registry, jobs, tracker, seeder) = (
            metricsFactory, metricsRegistry, processing.jobs, tracker, peers?.seeder
        )
        return HTTPMetrics(factory: factory, token: settings.metrics.token) {
            for count in try await jobs.depth() {
                Gauge(
                    label: "herd_jobs", dimensions: [("kind", count.kind), ("state", count.state.rawValue)],
                    factory: factory
                )
                .record(count.count)
            }
            if let tracker {
                let counts = tracker.counts
                Gauge(label: "herd_tracker_swarms", factory: factory).record(counts.swarms)
                Gauge(label: "herd_tracker_peers", factory: factory).record(counts.peers)
                Gauge(label: "herd_tracker_websockets", factory: factory).record(counts.webSockets)
            }
            if let seeder {
                Counter(label: "herd_seeder_bytes_total", factory: factory).increment(
                    by: seeder.counters.unreportedBytes())
            }
            var text: [UInt8] = []
            registry.emit(into: &text)
            return String(decoding: text, as: UTF8.self)
        }
    }

    /// The HTTP application with every background service and the seeder inside it (as tests run it, several times
    /// over one instance: the database stays open until `closeDatabase()`).
    public func makeApplication() -> some ApplicationProtocol {
        makeApplication(services: backgroundServices + (peers.map { [$0.seeder] } ?? []))
    }

    /// Closes the PostgreSQL client of an application that was only run by `makeApplication()`.
    public func closeDatabase() {
        postgres?.stop()
    }

    /// The HTTP application (the API, and the tracker's WebSocket upgrade) running `services` beside it.
    func makeApplication(
        services background: [any Service],
        onServerRunning: @escaping @Sendable (any NIOCore.Channel) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        // Static files leave by sendfile: the connections carry the handler that sends them (issue 16).
        let zeroCopy = ZeroCopyFiles()
        let router = router(zeroCopy: self.zeroCopy ? zeroCopy : nil)
        let tracker = self.tracker
        // Cached anonymous lists are answered in each connection's pipeline, before the router (issue 16).
        let (listCache, clock, logger) = (self.listCache, processing.clock, logger)
        let network = settings.network
        // The network edges (issue 14): connections per address, the idle (and so header) timeout, and a global cap
        // past which new connections wait in the kernel's queue.
        let limits = ConnectionLimits(network: network)
        let configuration = HTTP1WebSocketUpgradeChannel.Configuration(
            http1: .init(
                additionalChannelHandlers: [zeroCopy.installer()]
                    + listCache.connectionHandlers(clock: clock, logger: logger),
                idleTimeout: .seconds(Int64(network.idleTimeout))),
            ws: .init(maxFrameSize: TrackerSocket.maxFrameSize))
        return Application(
            router: router,
            server: HTTPServerBuilder { responder in
                limits.guarding(
                    HTTP1WebSocketUpgradeChannel(responder: responder, configuration: configuration) { request, _, _ in
                        guard let tracker else { return .dontUpgrade }
                        return TrackerSocket.upgrade(request, tracker: tracker)
                    })
            },
            configuration: .init(
                address: .hostname(settings.listenHostname, port: settings.listenPort), serverName: "Herd",
                // A thousand viewers arriving at once must wait in the kernel's queue, not be refused (issue 16;
                // Linux caps it at net.core.somaxconn).
                backlog: max(network.maxConnections, 256),
                availableConnectionsDelegate: MaximumAvailableConnections(network.maxConnections)
            ),
            services: background,
            onServerRunning: { channel in
                // NIO accepts four connections per wake-up of the listening socket: with every event loop busy, a
                // thousand viewers arriving at once waited seconds in the kernel's queue (issue 16).
                try? await channel.setOption(ChannelOptions.maxMessagesPerRead, value: Self.acceptsPerWakeup).get()
                await onServerRunning(channel)
            },
            logger: logger
        )
    }
}
