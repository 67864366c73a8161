import HerdCore
import Testing

@Suite("Settings schema")
struct SettingsTests {
    @Test("defaults make a valid instance on loopback")
    func defaults() throws {
        let settings = try SettingsSchema.settings(from: [:])
        #expect(settings.listenHostname == "127.0.0.1")
        #expect(settings.listenPort == 9000)
        #expect(settings.baseURL == "http://127.0.0.1:9000")
        #expect(settings.storageDir == "./storage")
        #expect(settings.defaultQuota == 10 * 1024 * 1024 * 1024)
        #expect(settings.accessTokenLifetime == 86_400)
        #expect(settings.refreshTokenLifetime == 1_209_600)
        #expect(!settings.signupEnabled)
    }

    @Test("a loopback public host also answers to its loopback aliases on the same port; a real name only to itself")
    func loopbackAliases() throws {
        let local = try SettingsSchema.settings(from: [:])
        for host in ["127.0.0.1:9000", "localhost:9000", "LOCALHOST:9000", "[::1]:9000"] {
            #expect(local.isPublicHost(host), "\(host)")
        }
        for host in ["localhost:9001", "localhost", "evil.example:9000", "127.0.0.2:9000", "localhost:x", ""] {
            #expect(!local.isPublicHost(host), "\(host)")
        }
        let named = try SettingsSchema.settings(from: [
            "webserver.hostname": "videos.example.org", "webserver.port": "443", "webserver.https": "true",
        ])
        #expect(named.isPublicHost("videos.example.org") && named.isPublicHost("Videos.Example.org"))
        #expect(!named.isPublicHost("localhost:443") && !named.isPublicHost("127.0.0.1"))
    }

    @Test("public URL drops the default port")
    func publicURL() throws {
        let https = try SettingsSchema.settings(from: [
            "webserver.https": "true", "webserver.port": "443", "webserver.hostname": "videos.example.org",
        ])
        #expect(https.baseURL == "https://videos.example.org")
        #expect(https.publicHost == "videos.example.org")
        let custom = try SettingsSchema.settings(from: ["webserver.port": "8443", "webserver.https": "yes"])
        #expect(custom.baseURL == "https://127.0.0.1:8443")
    }

    @Test(
        "each bad value names its key",
        arguments: [
            ("listen.port", "abc"), ("listen.port", "70000"), ("webserver.https", "maybe"),
            ("user.default_quota", "lots"),
            ("user.default_quota", "-5"), ("upload.max_file_size", "-1"), ("oauth.access_token_lifetime", "soon"),
            ("log.level", "loud"), ("storage.dir", ""), ("listen.hostname", ""),
        ])
    func badValue(key: String, value: String) {
        #expect(throws: ConfigError.self) { try SettingsSchema.settings(from: [key: value]) }
        do {
            _ = try SettingsSchema.settings(from: [key: value])
        } catch {
            #expect(error.key == key)
            #expect(error.description.contains(key))
        }
    }

    @Test("unknown keys are refused")
    func unknownKey() {
        #expect(throws: ConfigError(key: "listen.prot", problem: "unknown key")) {
            try SettingsSchema.settings(from: ["listen.prot": "9000"])
        }
    }

    @Test("sizes and durations")
    func units() {
        #expect(SettingsSchema.parseBytes("10GB") == Int64(10) * 1_073_741_824)
        #expect(SettingsSchema.parseBytes("1.5 MB") == 1_572_864)
        #expect(SettingsSchema.parseBytes("512KiB") == 524_288)
        #expect(SettingsSchema.parseBytes("-1") == -1)
        #expect(SettingsSchema.parseBytes("12") == 12)
        #expect(SettingsSchema.parseBytes("GB") == nil)
        #expect(SettingsSchema.parseDuration("1 hour") == 3600)
        #expect(SettingsSchema.parseDuration("2 weeks") == 1_209_600)
        #expect(SettingsSchema.parseDuration("30s") == 30)
        #expect(SettingsSchema.parseDuration("90") == 90)
        #expect(SettingsSchema.parseDuration("a while") == nil)
        // Tests/Fuzz/Corpus/FuzzConfig/crash-duration-overflow: more seconds than an Int holds trapped.
        #expect(SettingsSchema.parseDuration("99999999999999999 weeks") == nil)
        #expect(throws: ConfigError.self) {
            try SettingsSchema.settings(from: ["oauth.access_token_lifetime": "99999999999999999 weeks"])
        }
    }

    @Test("environment names")
    func environmentNames() {
        let names = Set(SettingsSchema.keys.map(\.environmentName))
        #expect(names.contains("HERD_LISTEN_PORT"))
        #expect(names.contains("HERD_USER_DEFAULT_QUOTA"))
        #expect(names.contains("HERD_WEBSERVER_HTTPS"))
        #expect(names.count == SettingsSchema.keys.count)
    }
}

@Suite("Transcoding settings")
struct TranscodingSettingsTests {
    @Test("defaults and switches")
    func switches() throws {
        let defaults = try SettingsSchema.settings(from: [:]).transcoding
        #expect(defaults.resolutions == [240, 360, 480, 720, 1080])
        #expect(defaults.fpsMax == 60)
        #expect(defaults.concurrency == 1)
        #expect(defaults.webVideos)
        let custom = try SettingsSchema.settings(from: [
            "transcoding.resolutions.2160p": "true", "transcoding.resolutions.240p": "false",
            "transcoding.fps.max": "30",
        ]).transcoding
        #expect(custom.resolutions == [360, 480, 720, 1080, 2160])
        #expect(custom.fpsMax == 30)
        #expect(throws: ConfigError.self) {
            try SettingsSchema.settings(from: ["transcoding.resolutions.999p": "true"])
        }
        #expect(throws: ConfigError.self) { try SettingsSchema.settings(from: ["transcoding.fps.max": "0"]) }
    }

    @Test("mirroring strategies: PeerTube's list of mappings, or one string from the environment")
    func strategies() throws {
        let parsed = try SettingsSchema.parseStrategies(
            "strategy=most-views;size=10GB;min_lifetime=48 hours, strategy=recently-added;size=1GB;min_lifetime=1h;min_views=5"
        )
        #expect(
            parsed == [
                RedundancyStrategyConfig(strategy: .mostViews, size: 10 << 30, minLifetime: 48 * 3600),
                RedundancyStrategyConfig(strategy: .recentlyAdded, size: 1 << 30, minLifetime: 3600, minViews: 5),
            ])
        #expect(try SettingsSchema.parseStrategies("").isEmpty)
        let settings = try SettingsSchema.settings(from: [
            "redundancy.videos.strategies": "strategy=trending;size=500MB;min_lifetime=1 day",
            "redundancy.videos.check_interval": "30s",
        ])
        #expect(settings.redundancy.strategies.map(\.strategy) == [.trending])
        #expect(settings.redundancy.checkInterval == 30)
        #expect(try SettingsSchema.settings(from: [:]).redundancy == RedundancySettings())
        for bad in [
            "strategy=manual;size=1GB;min_lifetime=1h", "strategy=most-views;min_lifetime=1h",
            "strategy=most-views;size=1GB", "strategy=most-views;size=1GB;min_lifetime=1h;colour=blue",
            "strategy=most-views;size=1GB;min_lifetime=1h,strategy=most-views;size=2GB;min_lifetime=1h",
            "strategy=recently-added;size=1GB;min_lifetime=1h;min_views=-1", "most-views",
        ] {
            #expect(throws: ConfigError.self, "\(bad)") {
                try SettingsSchema.settings(from: ["redundancy.videos.strategies": bad])
            }
        }
    }
}
