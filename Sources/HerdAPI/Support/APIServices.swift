import Foundation
import HerdCore
import HerdCrypto
import HerdFederation
import HerdProcessing
import Hummingbird

/// What the HTTP layer needs from the rest of the application, handed in by the composition root.
public struct APIServices: Sendable {
    /// Every processor, built once by the composition root.
    public let processing: Processing
    public var passwords: PasswordHasher
    /// Serialized public lists for anonymous visitors, cleared by every `events` change.
    public let listCache: ListCache
    /// `p2p.max_upload_rate`, shared by the seeder and the media files served over HTTP (the web seeds).
    public var uploadThrottle: UploadThrottle
    /// The tracker behind `/tracker/announce`, `/tracker/scrape` and `/tracker/socket`, when `p2p.enabled`.
    public var tracker: TrackerService?
    /// The browser client's folder (`Web/`), when found (`web.dir`, or beside the binary's checkout).
    public var webDirectory: String? {
        didSet { webPages = webDirectory.map(WebClient.loadPages(in:)) ?? [:] }
    }
    /// The client's HTML pages, read once when the folder is set (never from disk while answering a request).
    public private(set) var webPages: [String: String] = [:]
    /// Static files by `sendfile`, when the HTTP server's connections carry `SendfileHandler` (the real server; the
    /// router tests have no connections, so they get the bytes).
    public var zeroCopy: ZeroCopyFiles?
    /// Per-address limits on logins, sign-ups, inbox deliveries and uploads (`rates_limit.*`).
    public let rateLimiters: RateLimiters

    public init(processing: Processing, passwords: PasswordHasher, uploadThrottle: UploadThrottle) {
        self.processing = processing
        self.passwords = passwords
        self.listCache = ListCache(lifetime: TimeInterval(processing.settings.listCacheTTL))
        listCache.invalidates(on: processing.events)
        self.uploadThrottle = uploadThrottle
        self.rateLimiters = RateLimiters(processing.settings.network.rateLimits)
    }

    public var settings: Settings { processing.settings }
    public var stores: Stores { processing.stores }
    public var layout: StorageLayout { processing.layout }
    public var clock: any WallClock { processing.clock }
    public var events: ContentEvents { processing.events }
    public var peers: any PeerDelivery { processing.peers }
    public var interactions: InteractionTracker { processing.interactions }
    public var mirrorHealth: MirrorHealth { processing.mirrorHealth }
    public var fileTokens: VideoFileTokens { processing.fileTokens }
    public var uploadReservations: UploadReservations { processing.uploadReservations }
    public var localActors: LocalActors { processing.actors }
}
