import Foundation

/// Every configuration key: its type, default and documentation. `Config/default.yaml` documents the
/// same keys with the same defaults; a test keeps the two in step.
public enum SettingsSchema {
    public enum Kind: Sendable, Equatable {
        case string(nonEmpty: Bool)
        case integer(ClosedRange<Int>)
        case boolean
        /// A size such as `10GB`, `512 MB`, `1024`, or `-1` for unlimited when `allowUnlimited`.
        case bytes(allowUnlimited: Bool)
        /// A duration such as `1 hour`, `2 weeks`, `30s`, `90`.
        case duration
        case choice([String])
        /// A list: a YAML sequence of scalars, or comma-separated (how environment variables give one).
        case list
        /// Mirroring strategies: a YAML sequence of mappings (`strategy`, `size`, `min_lifetime`, `min_views`), or
        /// in one string `strategy=most-views;size=10GB;min_lifetime=2 days,strategy=…` (an environment variable).
        case strategies
    }

    public struct Key: Sendable {
        public var path: String
        public var kind: Kind
        public var defaultValue: String

        /// The environment variable that overrides this key: `HERD_<SECTION>_<KEY>`.
        public var environmentName: String {
            "HERD_" + path.uppercased().replacingOccurrences(of: ".", with: "_")
        }
    }

    public static let keys: [Key] = [
        Key(path: "listen.hostname", kind: .string(nonEmpty: true), defaultValue: "127.0.0.1"),
        Key(path: "listen.port", kind: .integer(0...65535), defaultValue: "9000"),
        Key(path: "webserver.hostname", kind: .string(nonEmpty: true), defaultValue: "127.0.0.1"),
        Key(path: "webserver.port", kind: .integer(1...65535), defaultValue: "9000"),
        Key(path: "webserver.https", kind: .boolean, defaultValue: "false"),
        Key(path: "webserver.trusted_proxies", kind: .list, defaultValue: ""),
        Key(path: "webserver.idle_timeout", kind: .duration, defaultValue: "30s"),
        Key(path: "webserver.max_connections", kind: .integer(1...1_000_000), defaultValue: "4096"),
        Key(path: "webserver.max_connections_per_ip", kind: .integer(1...1_000_000), defaultValue: "256"),
        Key(path: "rates_limit.login.window", kind: .duration, defaultValue: "5 minutes"),
        Key(path: "rates_limit.login.max", kind: .integer(1...1_000_000), defaultValue: "15"),
        Key(path: "rates_limit.signup.window", kind: .duration, defaultValue: "5 minutes"),
        Key(path: "rates_limit.signup.max", kind: .integer(1...1_000_000), defaultValue: "2"),
        Key(path: "rates_limit.inbox.window", kind: .duration, defaultValue: "10 seconds"),
        Key(path: "rates_limit.inbox.max", kind: .integer(1...1_000_000), defaultValue: "500"),
        Key(path: "rates_limit.uploads.window", kind: .duration, defaultValue: "10 seconds"),
        Key(path: "rates_limit.uploads.max", kind: .integer(1...1_000_000), defaultValue: "60"),
        Key(path: "storage.dir", kind: .string(nonEmpty: true), defaultValue: "./storage"),
        Key(path: "database.kind", kind: .choice(["", "sqlite", "postgres"]), defaultValue: ""),
        Key(path: "database.url", kind: .string(nonEmpty: false), defaultValue: ""),
        Key(path: "database.pool", kind: .integer(1...1000), defaultValue: "20"),
        Key(path: "jobs.lease_duration", kind: .duration, defaultValue: "1 minute"),
        Key(path: "object_storage.enabled", kind: .boolean, defaultValue: "false"),
        Key(path: "object_storage.endpoint", kind: .string(nonEmpty: false), defaultValue: ""),
        Key(path: "object_storage.region", kind: .string(nonEmpty: true), defaultValue: "us-east-1"),
        Key(path: "object_storage.credentials.access_key_id", kind: .string(nonEmpty: false), defaultValue: ""),
        Key(path: "object_storage.credentials.secret_access_key", kind: .string(nonEmpty: false), defaultValue: ""),
        Key(path: "object_storage.force_path_style", kind: .boolean, defaultValue: "false"),
        Key(path: "object_storage.proxy.proxify_private_files", kind: .boolean, defaultValue: "true"),
        Key(path: "object_storage.max_upload_part", kind: .bytes(allowUnlimited: false), defaultValue: "100MB"),
        Key(path: "object_storage.web_videos.bucket_name", kind: .string(nonEmpty: true), defaultValue: "web-videos"),
        Key(path: "object_storage.web_videos.prefix", kind: .string(nonEmpty: false), defaultValue: ""),
        Key(path: "object_storage.web_videos.base_url", kind: .string(nonEmpty: false), defaultValue: ""),
        Key(
            path: "object_storage.streaming_playlists.bucket_name", kind: .string(nonEmpty: true),
            defaultValue: "streaming-playlists"),
        Key(path: "object_storage.streaming_playlists.prefix", kind: .string(nonEmpty: false), defaultValue: ""),
        Key(path: "object_storage.streaming_playlists.base_url", kind: .string(nonEmpty: false), defaultValue: ""),
        Key(
            path: "object_storage.original_video_files.bucket_name", kind: .string(nonEmpty: true),
            defaultValue: "original-video-files"),
        Key(path: "object_storage.original_video_files.prefix", kind: .string(nonEmpty: false), defaultValue: ""),
        Key(path: "metrics.enabled", kind: .boolean, defaultValue: "false"),
        Key(path: "metrics.token", kind: .string(nonEmpty: false), defaultValue: ""),
        Key(path: "user.default_quota", kind: .bytes(allowUnlimited: true), defaultValue: "10GB"),
        Key(path: "user.default_daily_quota", kind: .bytes(allowUnlimited: true), defaultValue: "-1"),
        Key(path: "signup.enabled", kind: .boolean, defaultValue: "false"),
        Key(path: "instance.name", kind: .string(nonEmpty: true), defaultValue: "Herd"),
        Key(path: "instance.description", kind: .string(nonEmpty: false), defaultValue: "A Herd video platform"),
        Key(path: "upload.max_file_size", kind: .bytes(allowUnlimited: false), defaultValue: "12GB"),
        Key(path: "upload.resumable_expiry", kind: .duration, defaultValue: "1 hour"),
        Key(path: "api.max_body_size", kind: .bytes(allowUnlimited: false), defaultValue: "6MB"),
        Key(path: "api.list_cache_ttl", kind: .duration, defaultValue: "1s"),
        Key(path: "oauth.access_token_lifetime", kind: .duration, defaultValue: "1 day"),
        Key(path: "oauth.refresh_token_lifetime", kind: .duration, defaultValue: "2 weeks"),
        Key(path: "transcoding.concurrency", kind: .integer(1...16), defaultValue: "1"),
        Key(path: "transcoding.remote_only", kind: .boolean, defaultValue: "false"),
        Key(path: "transcoding.threads", kind: .integer(0...64), defaultValue: "0"),
        Key(path: "transcoding.fps.max", kind: .integer(1...240), defaultValue: "60"),
        Key(path: "transcoding.keep_original_resolution", kind: .boolean, defaultValue: "true"),
        Key(path: "transcoding.web_videos", kind: .boolean, defaultValue: "true"),
        Key(path: "transcoding.limits.max_side", kind: .integer(144...16384), defaultValue: "4096"),
        Key(path: "transcoding.limits.max_fps", kind: .integer(1...1000), defaultValue: "120"),
        Key(path: "transcoding.limits.max_duration", kind: .duration, defaultValue: "12 hours"),
        Key(path: "transcoding.limits.max_frame_gap", kind: .duration, defaultValue: "30s"),
        Key(path: "transcoding.limits.max_memory", kind: .bytes(allowUnlimited: false), defaultValue: "4GB"),
        Key(path: "transcoding.limits.cpu_per_media_second", kind: .integer(1...10_000), defaultValue: "30"),
        Key(path: "transcoding.resolutions.144p", kind: .boolean, defaultValue: "false"),
        Key(path: "transcoding.resolutions.240p", kind: .boolean, defaultValue: "true"),
        Key(path: "transcoding.resolutions.360p", kind: .boolean, defaultValue: "true"),
        Key(path: "transcoding.resolutions.480p", kind: .boolean, defaultValue: "true"),
        Key(path: "transcoding.resolutions.720p", kind: .boolean, defaultValue: "true"),
        Key(path: "transcoding.resolutions.1080p", kind: .boolean, defaultValue: "true"),
        Key(path: "transcoding.resolutions.1440p", kind: .boolean, defaultValue: "false"),
        Key(path: "transcoding.resolutions.2160p", kind: .boolean, defaultValue: "false"),
        Key(path: "p2p.enabled", kind: .boolean, defaultValue: "true"),
        Key(path: "p2p.tracker.enabled", kind: .boolean, defaultValue: "true"),
        Key(path: "p2p.tracker.announce_interval", kind: .duration, defaultValue: "2 minutes"),
        Key(path: "p2p.tracker.max_peers_per_torrent", kind: .integer(1...100_000), defaultValue: "2000"),
        Key(path: "p2p.seeder.port", kind: .integer(0...65535), defaultValue: "51413"),
        Key(path: "p2p.seeder.public_ip", kind: .string(nonEmpty: false), defaultValue: ""),
        Key(path: "p2p.seeder.max_connections", kind: .integer(1...100_000), defaultValue: "200"),
        Key(path: "p2p.max_upload_rate", kind: .bytes(allowUnlimited: true), defaultValue: "-1"),
        Key(path: "federation.enabled", kind: .boolean, defaultValue: "true"),
        Key(path: "federation.auto_accept_followers", kind: .boolean, defaultValue: "true"),
        Key(path: "federation.allow_private_addresses", kind: .boolean, defaultValue: "false"),
        Key(path: "federation.allowlist", kind: .list, defaultValue: ""),
        Key(path: "federation.blocklist", kind: .list, defaultValue: ""),
        Key(
            path: "remote_redundancy.videos.accept_from",
            kind: .choice(MirrorAcceptance.allCases.map(\.rawValue)), defaultValue: "followings"),
        Key(path: "web.dir", kind: .string(nonEmpty: false), defaultValue: ""),
        Key(path: "redundancy.videos.check_interval", kind: .duration, defaultValue: "1 hour"),
        Key(path: "redundancy.videos.strategies", kind: .strategies, defaultValue: ""),
        Key(path: "redundancy.videos.verify_interval", kind: .duration, defaultValue: "1 day"),
        Key(path: "redundancy.health_check.interval", kind: .duration, defaultValue: "30s"),
        Key(path: "redundancy.health_check.timeout", kind: .duration, defaultValue: "2s"),
        Key(
            path: "log.level", kind: .choice(["trace", "debug", "info", "notice", "warning", "error"]),
            defaultValue: "info"),
    ]

    /// Builds settings from flat values; keys missing from `values` take their defaults.
    public static func settings(from values: [String: String]) throws(ConfigError) -> Settings {
        let known = Set(keys.map(\.path))
        if let unknown = values.keys.sorted().first(where: { !known.contains($0) }) {
            throw ConfigError(key: unknown, problem: "unknown key")
        }
        let reader = Reader(values: values)
        return Settings(
            listenHostname: try reader.string("listen.hostname"),
            listenPort: try reader.integer("listen.port"),
            webserverHostname: try reader.string("webserver.hostname"),
            webserverPort: try reader.integer("webserver.port"),
            webserverHTTPS: try reader.boolean("webserver.https"),
            storageDir: try reader.string("storage.dir"),
            database: DatabaseSettings(
                kind: try reader.string("database.kind"), url: try reader.string("database.url"),
                pool: try reader.integer("database.pool")),
            defaultQuota: try reader.bytes("user.default_quota"),
            defaultDailyQuota: try reader.bytes("user.default_daily_quota"),
            signupEnabled: try reader.boolean("signup.enabled"),
            instanceName: try reader.string("instance.name"),
            instanceDescription: try reader.string("instance.description"),
            uploadMaxFileSize: try reader.bytes("upload.max_file_size"),
            resumableUploadExpiry: try reader.duration("upload.resumable_expiry"),
            apiMaxBodySize: Int(try reader.bytes("api.max_body_size")),
            listCacheTTL: try reader.duration("api.list_cache_ttl"),
            accessTokenLifetime: try reader.duration("oauth.access_token_lifetime"),
            refreshTokenLifetime: try reader.duration("oauth.refresh_token_lifetime"),
            logLevel: try reader.string("log.level"),
            transcoding: TranscodingSettings(
                concurrency: try reader.integer("transcoding.concurrency"),
                threads: try reader.integer("transcoding.threads"),
                fpsMax: try reader.integer("transcoding.fps.max"),
                keepOriginalResolution: try reader.boolean("transcoding.keep_original_resolution"),
                webVideos: try reader.boolean("transcoding.web_videos"),
                resolutions: try Self.enabledResolutions(reader),
                maxSide: try reader.integer("transcoding.limits.max_side"),
                maxFPS: try reader.integer("transcoding.limits.max_fps"),
                maxDuration: max(1, try reader.duration("transcoding.limits.max_duration")),
                maxFrameGap: max(1, try reader.duration("transcoding.limits.max_frame_gap")),
                maxMemory: max(256 << 20, try reader.bytes("transcoding.limits.max_memory")),
                cpuPerMediaSecond: try reader.integer("transcoding.limits.cpu_per_media_second"),
                remoteOnly: try reader.boolean("transcoding.remote_only")
            ),
            p2p: P2PSettings(
                enabled: try reader.boolean("p2p.enabled"),
                trackerEnabled: try reader.boolean("p2p.tracker.enabled"),
                announceInterval: try reader.duration("p2p.tracker.announce_interval"),
                maxPeersPerTorrent: try reader.integer("p2p.tracker.max_peers_per_torrent"),
                seederPort: try reader.integer("p2p.seeder.port"),
                seederPublicIP: try reader.string("p2p.seeder.public_ip"),
                seederMaxConnections: try reader.integer("p2p.seeder.max_connections"),
                maxUploadRate: try reader.bytes("p2p.max_upload_rate")
            ),
            federation: FederationSettings(
                enabled: try reader.boolean("federation.enabled"),
                autoAcceptFollowers: try reader.boolean("federation.auto_accept_followers"),
                allowPrivateAddresses: try reader.boolean("federation.allow_private_addresses"),
                allowlist: try reader.list("federation.allowlist"),
                blocklist: try reader.list("federation.blocklist"),
                acceptMirrorsFrom: MirrorAcceptance(
                    rawValue: try reader.string("remote_redundancy.videos.accept_from"))!
            ),
            webDirectory: try reader.string("web.dir"),
            redundancy: RedundancySettings(
                checkInterval: max(1, try reader.duration("redundancy.videos.check_interval")),
                strategies: try Self.parseStrategies(try reader.string("redundancy.videos.strategies")),
                verifyInterval: max(1, try reader.duration("redundancy.videos.verify_interval")),
                healthCheckInterval: max(1, try reader.duration("redundancy.health_check.interval")),
                healthCheckTimeout: max(1, try reader.duration("redundancy.health_check.timeout"))
            ),
            network: NetworkSettings(
                trustedProxies: try Self.parseProxies(try reader.list("webserver.trusted_proxies")),
                idleTimeout: max(1, try reader.duration("webserver.idle_timeout")),
                maxConnections: try reader.integer("webserver.max_connections"),
                maxConnectionsPerIP: try reader.integer("webserver.max_connections_per_ip"),
                rateLimits: RateLimits(
                    login: try Self.rate(reader, "login"), signup: try Self.rate(reader, "signup"),
                    inbox: try Self.rate(reader, "inbox"), uploads: try Self.rate(reader, "uploads"))
            ),
            jobs: JobSettings(leaseDuration: max(5, try reader.duration("jobs.lease_duration"))),
            metrics: try Self.metrics(reader),
            objectStorage: try Self.objectStorage(reader)
        )
    }

    static func metrics(_ reader: Reader) throws(ConfigError) -> MetricsSettings {
        let metrics = MetricsSettings(
            enabled: try reader.boolean("metrics.enabled"), token: try reader.string("metrics.token"))
        if metrics.enabled && metrics.token.count < 16 {
            throw ConfigError(key: "metrics.token", problem: "metrics.enabled needs a token of at least 16 characters")
        }
        return metrics
    }

    static func rate(_ reader: Reader, _ name: String) throws(ConfigError) -> RateLimits.Rate {
        RateLimits.Rate(
            max: try reader.integer("rates_limit.\(name).max"),
            window: max(1, try reader.duration("rates_limit.\(name).window")))
    }

    static func parseProxies(_ entries: [String]) throws(ConfigError) -> [AddressRange] {
        var ranges: [AddressRange] = []
        for entry in entries {
            guard let range = AddressRange(entry) else {
                throw ConfigError(
                    key: "webserver.trusted_proxies", problem: "expected addresses or CIDR ranges, got '\(entry)'")
            }
            ranges.append(range)
        }
        return ranges
    }

    static func enabledResolutions(_ reader: Reader) throws(ConfigError) -> Set<Int> {
        var enabled: Set<Int> = []
        for resolution in [144, 240, 360, 480, 720, 1080, 1440, 2160]
        where try reader.boolean("transcoding.resolutions.\(resolution)p") {
            enabled.insert(resolution)
        }
        return enabled
    }

    struct Reader {
        var values: [String: String]

        func raw(_ path: String) throws(ConfigError) -> (Key, String) {
            guard let key = SettingsSchema.keys.first(where: { $0.path == path }) else {
                throw ConfigError(key: path, problem: "unknown key")
            }
            let value = (values[path] ?? key.defaultValue).trimmingCharacters(in: .whitespaces)
            try SettingsSchema.validate(value, as: key)
            return (key, value)
        }

        func string(_ path: String) throws(ConfigError) -> String { try raw(path).1 }
        func integer(_ path: String) throws(ConfigError) -> Int { Int(try raw(path).1)! }
        func boolean(_ path: String) throws(ConfigError) -> Bool { SettingsSchema.parseBool(try raw(path).1)! }
        func bytes(_ path: String) throws(ConfigError) -> Int64 { SettingsSchema.parseBytes(try raw(path).1)! }
        func duration(_ path: String) throws(ConfigError) -> Int { SettingsSchema.parseDuration(try raw(path).1)! }
        func list(_ path: String) throws(ConfigError) -> [String] { SettingsSchema.parseList(try raw(path).1) }
    }

    static func validate(_ value: String, as key: Key) throws(ConfigError) {
        switch key.kind {
        case .string(let nonEmpty):
            if nonEmpty && value.isEmpty { throw ConfigError(key: key.path, problem: "must not be empty") }
        case .integer(let range):
            guard let number = Int(value), range.contains(number) else {
                throw ConfigError(
                    key: key.path,
                    problem: "expected an integer from \(range.lowerBound) to \(range.upperBound), got '\(value)'"
                )
            }
        case .boolean:
            guard parseBool(value) != nil else {
                throw ConfigError(key: key.path, problem: "expected true or false, got '\(value)'")
            }
        case .bytes(let allowUnlimited):
            guard let bytes = parseBytes(value), bytes >= 0 || (allowUnlimited && bytes == -1) else {
                let unlimited = allowUnlimited ? ", or -1 for unlimited" : ""
                throw ConfigError(
                    key: key.path, problem: "expected a size such as 10GB or 500MB\(unlimited), got '\(value)'")
            }
        case .duration:
            guard parseDuration(value) != nil else {
                throw ConfigError(
                    key: key.path, problem: "expected a duration such as '1 hour' or '30s', got '\(value)'")
            }
        case .choice(let choices):
            guard choices.contains(value) else {
                throw ConfigError(
                    key: key.path, problem: "expected one of \(choices.joined(separator: ", ")), got '\(value)'")
            }
        case .list:
            break
        case .strategies:
            _ = try parseStrategies(value)
        }
    }
}
