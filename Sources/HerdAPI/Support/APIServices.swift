import Foundation
import HerdCore
import HerdCrypto
import HerdFederation
import HerdProcessing
import Hummingbird

/// What the HTTP layer needs from the rest of the application, handed in by the composition root.
public struct APIServices: Sendable {
    public var settings: Settings
    public var stores: Stores
    public var layout: StorageLayout
    public var passwords: PasswordHasher
    public var clock: any WallClock
    /// Changes to what lists and pages show: publish one after every such write.
    public let events = ContentEvents()
    /// Serialized public lists for anonymous visitors, cleared by every `events` change.
    public let listCache: ListCache
    /// `p2p.max_upload_rate`, shared by the seeder and the media files served over HTTP (the web seeds).
    public var uploadThrottle: UploadThrottle
    /// Torrents, tracker and seeder; set by the composition root when `p2p.enabled`.
    public var peers: any PeerDelivery = PeerDeliveryDisabled()
    /// The tracker behind `/tracker/announce`, `/tracker/scrape` and `/tracker/socket`, when `p2p.enabled`.
    public var tracker: TrackerService?
    /// Fetches remote ActivityPub documents (the HTTP adapter); nil when federation is off.
    public var fetcher: (any ActivityPubFetcher)?
    /// Views and rating changes waiting for the next flush.
    public var interactions = InteractionTracker()
    /// The browser client's folder (`Web/`), when found (`web.dir`, or beside the binary's checkout).
    public var webDirectory: String? {
        didSet { webPages = webDirectory.map(WebClient.loadPages(in:)) ?? [:] }
    }
    /// The client's HTML pages, read once when the folder is set (never from disk while answering a request).
    public private(set) var webPages: [String: String] = [:]
    /// Mirrors that stopped answering their health checks (issue 6), left out of what is advertised.
    public var mirrorHealth = MirrorHealth()
    /// Static files by `sendfile`, when the HTTP server's connections carry `SendfileHandler` (the real server; the
    /// router tests have no connections, so they get the bytes).
    public var zeroCopy: ZeroCopyFiles?
    /// Short-lived tokens for the files of private videos (`POST /api/v1/videos/{id}/token`).
    public var fileTokens = VideoFileTokens()
    /// Quota held by uploads streaming in one request.
    public let uploadReservations = UploadReservations()
    /// Per-address limits on logins, sign-ups, inbox deliveries and uploads (`rates_limit.*`).
    public let rateLimiters: RateLimiters

    public init(
        settings: Settings, stores: Stores, layout: StorageLayout, passwords: PasswordHasher,
        clock: any WallClock = SystemWallClock()
    ) {
        self.settings = settings
        self.stores = stores
        self.layout = layout
        self.passwords = passwords
        self.clock = clock
        self.listCache = ListCache(lifetime: TimeInterval(settings.listCacheTTL))
        listCache.invalidates(on: events)
        self.uploadThrottle = UploadThrottle(bytesPerSecond: settings.p2p.maxUploadRate)
        self.rateLimiters = RateLimiters(settings.network.rateLimits)
    }
}

extension APIServices {
    /// This instance's local actors.
    public var localActors: LocalActors {
        LocalActors(stores: stores, baseURL: settings.baseURL, instanceName: settings.instanceName)
    }
}
