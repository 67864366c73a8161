import HerdCore
import HerdCrypto
import HerdFederation
import Logging

/// Every processor, built once by the composition root from the adapters it provides (stores, the media layout,
/// peers, the fetcher). Controllers and workers each take the few processors they use from here.
public final class Processing: Sendable {
    public let settings: Settings
    public let stores: Stores
    public let layout: StorageLayout
    /// Media files by kind and key (local disk now, object storage next).
    public let media: any MediaStore
    public let clock: any WallClock
    /// Changes to what lists and pages show: processors publish one after every such write.
    public let events = ContentEvents()
    /// Torrents, tracker and seeder; `PeerDeliveryDisabled` when `p2p.enabled` is off.
    public let peers: any PeerDelivery
    /// Views and rating changes waiting for the next flush.
    public let interactions = InteractionTracker()
    /// Mirrors that stopped answering their health checks (issue 6), left out of what is advertised.
    public let mirrorHealth = MirrorHealth()
    /// Short-lived tokens for the files of private videos (`POST /api/v1/videos/{id}/token`).
    public let fileTokens = VideoFileTokens()
    /// One writer at a time per video for work that moves its files (removal, a transcode's publication).
    public let videoLocks = VideoLocks()
    /// Quota held by uploads streaming in one request.
    public let uploadReservations = UploadReservations()

    public let accounts: UserAccounts
    public let actors: LocalActors
    public let outbox: Outbox
    public let remote: RemoteDocuments
    public let videoFederation: VideoFederation
    public let commentFederation: CommentFederation
    public let ratingFederation: RatingFederation
    public let remoteTorrents: RemoteTorrents
    public let mirrorAdvertiser: MirrorAdvertiser
    public let mirrorHealthChecks: MirrorHealthChecks
    public let mirrorCopies: MirrorCopies
    public let privateFiles: PrivateFiles
    public let videoRemoval: VideoRemoval
    public let resolver: RemoteActorResolver
    public let remoteVideos: RemoteVideos
    public let remoteComments: RemoteComments
    public let remoteMirrors: RemoteMirrors
    public let inbox: Inbox
    public let outboxBackfill: OutboxBackfill
    public let instanceFollows: InstanceFollows
    public let catalog: VideoCatalog
    public let editing: VideoEditing
    public let filesAccess: VideoFilesAccess
    public let comments: VideoComments
    public let videoInteractions: VideoInteractions
    public let channels: VideoChannels
    public let accountDirectory: AccountDirectory
    public let remoteSearch: RemoteVideoSearch
    public let jobs: JobsOverview
    public let abuses: Abuses
    public let sessions: Sessions
    public let configuration: InstanceConfiguration
    public let users: UserManagement
    public let documents: ActivityPubDocuments
    public let ingest: VideoIngest
    public let resumableUploads: ResumableUploads
    public let remoteImages: RemoteImages
    /// What processors and workers report to `/metrics`.
    public let metrics: ProcessingMetrics

    /// - Parameters:
    ///   - peers: the P2P adapter, when `p2p.enabled`;
    ///   - fetcher: the HTTP adapter for other instances, when `federation.enabled`.
    public init(
        settings: Settings, stores: Stores, layout: StorageLayout, media: any MediaStore, passwords: PasswordHasher,
        clock: any WallClock, peers: any PeerDelivery, fetcher: (any ActivityPubFetcher)?,
        makeKeys: ActorKeyMaker = .rsa2048, logger: Logger, metrics: ProcessingMetrics = ProcessingMetrics()
    ) {
        self.metrics = metrics
        self.settings = settings
        self.stores = stores
        self.layout = layout
        self.media = media
        self.clock = clock
        self.peers = peers
        let federation = settings.federation
        var redundancyLogger = logger
        redundancyLogger[metadataKey: "area"] = "redundancy"
        accounts = UserAccounts(stores: stores, passwords: passwords, makeKeys: makeKeys)
        actors = LocalActors(
            stores: stores, baseURL: settings.baseURL, instanceName: settings.instanceName, makeKeys: makeKeys)
        outbox = Outbox(stores: stores, clock: clock)
        remote = RemoteDocuments(transport: federation.enabled ? fetcher : nil, actors: actors)
        videoFederation = VideoFederation(
            stores: stores, actors: actors, outbox: outbox, clock: clock, enabled: federation.enabled)
        commentFederation = CommentFederation(stores: stores, videos: videoFederation, actors: actors, outbox: outbox)
        ratingFederation = RatingFederation(videos: videoFederation, outbox: outbox)
        remoteTorrents = RemoteTorrents(
            media: media, baseURL: settings.baseURL, fetcher: remote, logger: redundancyLogger)
        mirrorAdvertiser = MirrorAdvertiser(
            stores: stores, health: mirrorHealth, peers: peers, remoteTorrents: remoteTorrents, events: events,
            clock: clock)
        mirrorHealthChecks = MirrorHealthChecks(
            stores: stores, health: mirrorHealth, fetcher: remote, advertiser: mirrorAdvertiser,
            timeout: settings.redundancy.healthCheckTimeout, clock: clock, logger: redundancyLogger)
        mirrorCopies = MirrorCopies(
            stores: stores, media: media, settings: settings.redundancy,
            copier: VideoCopier(fetcher: remote, media: media, scratchFolder: layout.tmp), peers: peers,
            videos: videoFederation, clock: clock,
            logger: redundancyLogger)
        privateFiles = PrivateFiles(stores: stores, media: media, peers: peers)
        videoRemoval = VideoRemoval(
            stores: stores, media: media, events: events, peers: peers, federation: videoFederation,
            copies: mirrorCopies, remoteTorrents: remoteTorrents, locks: videoLocks, logger: logger)
        resolver = RemoteActorResolver(stores: stores, fetcher: remote, clock: clock)
        remoteVideos = RemoteVideos(
            stores: stores, resolver: resolver, fetcher: remote, instanceActor: actors.urls.instanceActor,
            events: events, removal: videoRemoval)
        remoteComments = RemoteComments(
            stores: stores, resolver: resolver, fetcher: remote, baseURL: settings.baseURL, clock: clock)
        remoteMirrors = RemoteMirrors(
            stores: stores, acceptFrom: federation.acceptMirrorsFrom, instanceActor: actors.urls.instanceActor,
            comments: remoteComments, forwarding: commentFederation, fetcher: remote, advertiser: mirrorAdvertiser,
            clock: clock, logger: redundancyLogger)
        inbox = Inbox(
            stores: stores, actors: actors, resolver: resolver, outbox: outbox, videos: remoteVideos,
            comments: remoteComments, mirrors: remoteMirrors, forwarding: commentFederation, events: events,
            interactions: interactions, settings: federation, clock: clock, metrics: metrics)
        outboxBackfill = OutboxBackfill(remote: remote, videos: remoteVideos)
        instanceFollows = InstanceFollows(
            stores: stores, actors: actors, resolver: resolver, outbox: outbox, removal: videoRemoval,
            settings: settings)
        catalog = VideoCatalog(
            stores: stores, mirrorHealth: mirrorHealth, remoteTorrents: remoteTorrents, clock: clock)
        editing = VideoEditing(
            stores: stores, privateFiles: privateFiles, federation: videoFederation, events: events, clock: clock)
        filesAccess = VideoFilesAccess(stores: stores, catalog: catalog, tokens: fileTokens, clock: clock)
        comments = VideoComments(stores: stores, federation: commentFederation, clock: clock)
        videoInteractions = VideoInteractions(
            stores: stores, tracker: interactions, federation: ratingFederation, events: events, clock: clock)
        channels = VideoChannels(
            stores: stores, removal: videoRemoval, events: events, localHost: settings.publicHost, makeKeys: makeKeys)
        accountDirectory = AccountDirectory(stores: stores, localHost: settings.publicHost)
        remoteSearch = RemoteVideoSearch(stores: stores, remoteVideos: remoteVideos, baseURL: settings.baseURL)
        jobs = JobsOverview(stores: stores)
        abuses = Abuses(stores: stores, federation: videoFederation, outbox: outbox)
        sessions = Sessions(
            stores: stores, passwords: passwords, accessLifetime: settings.accessTokenLifetime,
            refreshLifetime: settings.refreshTokenLifetime, clock: clock)
        configuration = InstanceConfiguration(stores: stores, settings: settings, events: events)
        users = UserManagement(
            stores: stores, accounts: accounts, configuration: configuration, removal: videoRemoval,
            defaultQuota: settings.defaultQuota, clock: clock)
        documents = ActivityPubDocuments(stores: stores, actors: actors)
        ingest = VideoIngest(
            stores: stores, media: media, reservations: uploadReservations, events: events,
            maxFileSize: settings.uploadMaxFileSize, clock: clock)
        resumableUploads = ResumableUploads(stores: stores, ingest: ingest, layout: layout, clock: clock)
        remoteImages = RemoteImages(stores: stores, media: media, remote: remote)
    }
}
