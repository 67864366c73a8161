/// The instance's settings, typed and validated. Built from flat `section.key` values by `SettingsSchema`.
public struct Settings: Sendable, Equatable {
    public var listenHostname: String
    public var listenPort: Int
    public var webserverHostname: String
    public var webserverPort: Int
    public var webserverHTTPS: Bool
    public var storageDir: String
    /// Where the stores live: the embedded SQLite file, or a PostgreSQL server shared by several nodes (issue 18).
    public var database: DatabaseSettings
    public var defaultQuota: Int64
    public var defaultDailyQuota: Int64
    public var signupEnabled: Bool
    public var instanceName: String
    public var instanceDescription: String
    public var uploadMaxFileSize: Int64
    public var resumableUploadExpiry: Int
    public var apiMaxBodySize: Int
    /// Seconds an anonymous public video list may be served from memory (0 disables the cache).
    public var listCacheTTL: Int
    public var accessTokenLifetime: Int
    public var refreshTokenLifetime: Int
    public var logLevel: String
    public var transcoding: TranscodingSettings
    public var p2p: P2PSettings
    public var federation: FederationSettings
    /// The browser client's folder (`web.dir`); empty: `./Web`, else the `Web/` of the checkout the binary was built in.
    public var webDirectory = ""
    public var redundancy = RedundancySettings()
    /// Trusted proxies, timeouts, connection caps and rate limits (issue 14).
    public var network = NetworkSettings()
    /// The shared job queue's leases (issue 18).
    public var jobs = JobSettings()
    /// `/metrics` for a Prometheus scraper (issue 18).
    public var metrics = MetricsSettings()
    /// Media in S3-compatible object storage (issue 18).
    public var objectStorage = ObjectStorageSettings()

    /// The public origin used in every absolute link: `https://host` or `http://host:port`.
    public var baseURL: String {
        let scheme = webserverHTTPS ? "https" : "http"
        let defaultPort = webserverHTTPS ? 443 : 80
        return webserverPort == defaultPort
            ? "\(scheme)://\(webserverHostname)" : "\(scheme)://\(webserverHostname):\(webserverPort)"
    }

    /// `host[:port]` as clients send it in `Host`.
    public var publicHost: String {
        let defaultPort = webserverHTTPS ? 443 : 80
        return webserverPort == defaultPort ? webserverHostname : "\(webserverHostname):\(webserverPort)"
    }

    /// Whether `host` (a `Host` header) names this instance: its public host, or, when that is a loopback name,
    /// any loopback alias with the same port (`localhost:9000` for `127.0.0.1:9000`), so that following a link
    /// written either way never locks anyone out of a local instance.
    public func isPublicHost(_ host: String) -> Bool {
        let host = host.lowercased()
        if host == publicHost.lowercased() { return true }
        let loopback: Set<String> = ["localhost", "127.0.0.1", "[::1]"]
        guard loopback.contains(webserverHostname.lowercased()) else { return false }
        let defaultPort = webserverHTTPS ? 443 : 80
        let (name, port): (Substring, Int?)
        if let colon = host.lastIndex(of: ":"), !host.hasSuffix("]") {
            (name, port) = (host[..<colon], Int(host[host.index(after: colon)...]))
        } else {
            (name, port) = (host[...], defaultPort)
        }
        return loopback.contains(String(name)) && port == webserverPort
    }
}

/// Peer-assisted delivery: torrents, the tracker and the seeder.
public struct P2PSettings: Sendable, Equatable {
    /// Make torrents for published files, run the tracker and the seeder.
    public var enabled: Bool
    /// This node answers `/tracker/` and runs the seeder (with several web nodes: one of them, which the proxy sends
    /// `/tracker/` to); the others only make torrents and links.
    public var trackerEnabled: Bool
    /// Seconds between a client's announces (BEP 3 `interval`).
    public var announceInterval: Int
    public var maxPeersPerTorrent: Int
    /// TCP port of the BitTorrent seeder (0: any free port).
    public var seederPort: Int
    /// The address the tracker hands out for the seeder; empty: the web server's host name, resolved.
    public var seederPublicIP: String
    public var seederMaxConnections: Int
    /// Bytes per second for all seeding and web-seed traffic together; -1 for no limit.
    public var maxUploadRate: Int64

    public init(
        enabled: Bool = true, trackerEnabled: Bool = true, announceInterval: Int = 120, maxPeersPerTorrent: Int = 2000,
        seederPort: Int = 51413,
        seederPublicIP: String = "", seederMaxConnections: Int = 200, maxUploadRate: Int64 = -1
    ) {
        self.enabled = enabled
        self.trackerEnabled = trackerEnabled
        self.announceInterval = announceInterval
        self.maxPeersPerTorrent = maxPeersPerTorrent
        self.seederPort = seederPort
        self.seederPublicIP = seederPublicIP
        self.seederMaxConnections = seederMaxConnections
        self.maxUploadRate = maxUploadRate
    }
}

/// ActivityPub federation with other instances (PeerTube, Mastodon, Herd).
public struct FederationSettings: Sendable, Equatable {
    /// Off keeps the instance private: no outgoing requests, and inboxes refuse activities.
    public var enabled: Bool
    /// Accept follows of local actors at once (otherwise an administrator accepts or rejects them).
    public var autoAcceptFollowers: Bool
    /// Let outgoing fetches and deliveries reach private and loopback addresses (tests, closed networks).
    public var allowPrivateAddresses: Bool
    /// When not empty, the only hosts (`host` or `host:port`) this instance federates with (a school network).
    public var allowlist: [String]
    /// Hosts, and actor URLs, this instance never federates with.
    public var blocklist: [String]
    /// Which instances may mirror this one's videos (`remote_redundancy.videos.accept_from`).
    public var acceptMirrorsFrom: MirrorAcceptance

    public init(
        enabled: Bool = true, autoAcceptFollowers: Bool = true, allowPrivateAddresses: Bool = false,
        allowlist: [String] = [], blocklist: [String] = [], acceptMirrorsFrom: MirrorAcceptance = .followings
    ) {
        self.acceptMirrorsFrom = acceptMirrorsFrom
        self.allowlist = allowlist
        self.blocklist = blocklist
        self.enabled = enabled
        self.autoAcceptFollowers = autoAcceptFollowers
        self.allowPrivateAddresses = allowPrivateAddresses
    }
}

/// How uploads are transcoded.
public struct TranscodingSettings: Sendable, Equatable {
    /// Transcoding jobs run at the same time.
    public var concurrency: Int
    /// Encoder threads per rung; 0 lets the encoder choose.
    public var threads: Int
    public var fpsMax: Int
    /// Also make a rung at the source's own resolution when it is not a standard one.
    public var keepOriginalResolution: Bool
    /// Make web MP4 files (faststart) besides HLS.
    public var webVideos: Bool
    /// Enabled standard resolutions (144, 240, 360, 480, 720, 1080, 1440, 2160).
    public var resolutions: Set<Int>
    /// Uploads past these are refused (`transcoding.limits.*`): the largest side in pixels, the highest frame rate,
    /// the longest duration and the longest pause between two frames, in seconds.
    public var maxSide: Int
    public var maxFPS: Int
    public var maxDuration: Int
    public var maxFrameGap: Int
    /// The transcoding child's address space in bytes, and its CPU seconds per second of media (setrlimit).
    public var maxMemory: Int64
    public var cpuPerMediaSecond: Int
    /// This server runs no transcoding: `herd worker` processes do (issue 18).
    public var remoteOnly: Bool

    public init(
        concurrency: Int, threads: Int, fpsMax: Int, keepOriginalResolution: Bool, webVideos: Bool,
        resolutions: Set<Int>, maxSide: Int = 4096, maxFPS: Int = 120, maxDuration: Int = 43_200,
        maxFrameGap: Int = 30, maxMemory: Int64 = 4 << 30, cpuPerMediaSecond: Int = 30,
        remoteOnly: Bool = false
    ) {
        self.remoteOnly = remoteOnly
        self.maxMemory = maxMemory
        self.cpuPerMediaSecond = cpuPerMediaSecond
        self.maxSide = maxSide
        self.maxFPS = maxFPS
        self.maxDuration = maxDuration
        self.maxFrameGap = maxFrameGap
        self.concurrency = concurrency
        self.threads = threads
        self.fpsMax = fpsMax
        self.keepOriginalResolution = keepOriginalResolution
        self.webVideos = webVideos
        self.resolutions = resolutions
    }
}

/// A configuration problem: which key, and what is wrong with it.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var key: String
    public var problem: String

    public init(key: String, problem: String) {
        self.key = key
        self.problem = problem
    }

    public var description: String { "configuration error: \(key): \(problem)" }
}

/// Mirroring other instances' videos (issue 6): what to copy, and how copies and mirrors are checked.
public struct RedundancySettings: Sendable, Equatable {
    /// Seconds between two runs of the strategies (and renewals, and the cheap integrity check).
    public var checkInterval: Int
    public var strategies: [RedundancyStrategyConfig]
    /// Seconds between two full re-hashes of each copy against the origin's torrents.
    public var verifyInterval: Int
    /// Seconds between two checks that each known mirror still answers, and how long one may take.
    public var healthCheckInterval: Int
    public var healthCheckTimeout: Int

    public init(
        checkInterval: Int = 3600, strategies: [RedundancyStrategyConfig] = [], verifyInterval: Int = 86400,
        healthCheckInterval: Int = 30, healthCheckTimeout: Int = 2
    ) {
        self.checkInterval = checkInterval
        self.strategies = strategies
        self.verifyInterval = verifyInterval
        self.healthCheckInterval = healthCheckInterval
        self.healthCheckTimeout = healthCheckTimeout
    }
}

/// The database (`database.*`).
public struct DatabaseSettings: Sendable, Equatable {
    /// `sqlite`, `postgres`, or empty: taken from the URL's scheme (SQLite when there is no URL).
    public var kind: String
    /// `sqlite:///absolute/path`, `sqlite://relative/path`, `postgres://user:password@host:port/database`, or empty for
    /// `<storage.dir>/herd.sqlite`.
    public var url: String
    /// PostgreSQL: connections each process may open at most.
    public var pool: Int

    public init(kind: String = "", url: String = "", pool: Int = 20) {
        self.kind = kind
        self.url = url
        self.pool = pool
    }
}

/// `/metrics` (`metrics.*`).
public struct MetricsSettings: Sendable, Equatable {
    public var enabled: Bool
    /// The scraper's bearer token (at least 16 characters when enabled).
    public var token: String

    public init(enabled: Bool = false, token: String = "") {
        self.enabled = enabled
        self.token = token
    }
}

/// The job queue (`jobs.*`).
public struct JobSettings: Sendable, Equatable {
    /// Seconds a claimed job stays with its worker without a heartbeat before any process hands it to another.
    public var leaseDuration: Int

    public init(leaseDuration: Int = 60) {
        self.leaseDuration = leaseDuration
    }
}
