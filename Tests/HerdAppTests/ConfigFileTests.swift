import Foundation
import HerdApp
import HerdCore
import Testing

@Suite("Configuration files")
struct ConfigFileTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test("Config/default.yaml lists every key with the built-in default and a comment")
    func defaultFileMatchesSchema() throws {
        let path = Self.repository.appendingPathComponent("Config/default.yaml").path
        let values = try ConfigLoader.flatten(yamlAt: path)
        #expect(Set(values.keys) == Set(SettingsSchema.keys.map(\.path)))
        for key in SettingsSchema.keys {
            #expect(values[key.path] == key.defaultValue, "\(key.path): file says \(values[key.path] ?? "nothing")")
        }
        #expect(try ConfigLoader.load(file: path, environment: [:]) == SettingsSchema.settings(from: [:]))
        // Every key line is preceded by a comment line.
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated()
        where line.hasPrefix("  ") && !line.trimmingCharacters(in: .whitespaces).hasPrefix("#") && line.contains(":") {
            #expect(lines[index - 1].trimmingCharacters(in: .whitespaces).hasPrefix("#"), "no comment above '\(line)'")
        }
    }

    @Test("the production example is valid")
    func productionExample() throws {
        // The secrets come from the service's environment, as the example says.
        let settings = try ConfigLoader.load(
            file: Self.repository.appendingPathComponent("Config/production.example.yaml").path,
            environment: [
                "HERD_OBJECT_STORAGE_CREDENTIALS_ACCESS_KEY_ID": "key",
                "HERD_OBJECT_STORAGE_CREDENTIALS_SECRET_ACCESS_KEY": "secret",
            ])
        #expect(settings.baseURL == "https://videos.example.org")
        #expect(settings.database.kind == "postgres" && settings.transcoding.remoteOnly)
        #expect(
            settings.objectStorage.enabled
                && settings.objectStorage.streamingPlaylists.baseURL == "https://cdn.example.org")
        // Without them, the configuration names what is missing.
        #expect(throws: ConfigError.self) {
            try ConfigLoader.load(
                file: Self.repository.appendingPathComponent("Config/production.example.yaml").path, environment: [:])
        }
        #expect(
            try Database.backend(for: settings) == .postgres(url: "postgres://herd@db.internal:5432/herd", pool: 20))
    }

    @Test("file overrides defaults, environment overrides the file")
    func precedence() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("herd-\(UUID().uuidString).yaml")
        try "listen:\n  port: 8000\nsignup:\n  enabled: true\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let settings = try ConfigLoader.load(
            file: file.path, environment: ["HERD_LISTEN_PORT": "8100", "HOME": "/root"])
        #expect(settings.listenPort == 8100)
        #expect(settings.signupEnabled)
        #expect(settings.webserverPort == 9000)
    }

    @Test(
        "bad files name the problem",
        arguments: [
            ("listen:\n  port: not-a-port\n", "listen.port"),
            ("listen:\n  prot: 9000\n", "listen.prot"),
            ("listen: [1, 2\n", "invalid YAML"),
            ("- just\n- a list\n", "mapping"),
            ("storage:\n  dir: [a, b]\n", "storage.dir"),
        ])
    func badFiles(text: String, mentioned: String) throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("herd-\(UUID().uuidString).yaml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        do {
            _ = try ConfigLoader.load(file: file.path, environment: [:])
            Issue.record("accepted a bad file: \(text)")
        } catch {
            #expect(error.description.contains(mentioned), "\(error.description)")
        }
    }

    @Test("lists: a YAML sequence in the file, comma-separated in the environment")
    func lists() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("herd-\(UUID().uuidString).yaml")
        try "federation:\n  allowlist: [school-a.example, \"school-b.example:8443\"]\n".write(
            to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let settings = try ConfigLoader.load(file: file.path, environment: [:])
        #expect(settings.federation.allowlist == ["school-a.example", "school-b.example:8443"])
        #expect(settings.federation.blocklist == [])
        let overridden = try ConfigLoader.load(
            file: file.path, environment: ["HERD_FEDERATION_BLOCKLIST": "spam.example, https://x.example/users/y"])
        #expect(overridden.federation.blocklist == ["spam.example", "https://x.example/users/y"])
    }

    /// Tests/Fuzz/Corpus/FuzzConfig/crash-complex-key: Yams trapped building a mapping (or a set) whose key is a
    /// list or a mapping; timeout-complex-keys: 2 KiB of nested explicit keys took Yams 14 s to compose.
    @Test("a key that is a list or a mapping, or any explicit key, is refused at once, not a trap or a stall")
    func complexKeys() throws {
        for yaml in [
            "federation:\n  ? [a, b]\n  : c\n", "? {listen: 1}\n: 2\n", "listen: !!set {? [a]}\n",
            "listen:\n  ? port\n  : 8080\n", "[a, b]: c\n", "listen: {[a]: 1}\n", "{a: b}: c\n",
        ] {
            #expect(throws: ConfigError.self, "\(yaml)") { try ConfigLoader.flatten(yaml: yaml, source: "test.yaml") }
        }
        let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fuzz/Corpus/FuzzConfig/timeout-complex-keys").path
        // As the fuzz target reads it (the file itself is not UTF-8, which the loader refuses first).
        let hostile = String(decoding: try Data(contentsOf: URL(fileURLWithPath: corpus)), as: UTF8.self)
        #expect(throws: ConfigError.self) { try ConfigLoader.flatten(yaml: hostile, source: "test.yaml") }
        // Question marks and brackets in values, quotes and comments are only text.
        let plain = """
            instance:
              name: "What? [really]: yes"   # a comment? [x]: y
              description: 'is it ? no'
            federation:
              blocklist: [a.example, b.example]
            """
        let values = try ConfigLoader.flatten(yaml: plain, source: "test.yaml")
        #expect(values["instance.name"] == "What? [really]: yes" && values["instance.description"] == "is it ? no")
        #expect(values["federation.blocklist"] == "a.example,b.example")
    }

    /// Tests/Fuzz/Corpus/FuzzConfig/crash-sexagesimal-overflow: Yams read `888888802168997784:0` as a YAML 1.1
    /// base-60 number and trapped on the overflow; values are now read as text and parsed by the schema.
    @Test("values are text to the schema: base-60 look-alikes, overflowing numbers and alias bombs are clear errors")
    func scalarsAsText() throws {
        let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fuzz/Corpus/FuzzConfig/crash-sexagesimal-overflow").path
        let hostile = String(decoding: try Data(contentsOf: URL(fileURLWithPath: corpus)), as: UTF8.self)
        _ = try? ConfigLoader.flatten(yaml: hostile, source: "test.yaml")
        let values = try ConfigLoader.flatten(
            yaml: "listen:\n  port: 888888802168997784:0\n  hostname: '1:30'\nsignup:\n  enabled: yes\n",
            source: "test.yaml")
        #expect(values["listen.port"] == "888888802168997784:0" && values["listen.hostname"] == "1:30")
        #expect(values["signup.enabled"] == "true")
        #expect(throws: ConfigError.self) { try SettingsSchema.settings(from: values) }
        // Each level of aliases doubles the values: refused past ConfigLoader.maximumNodes instead of unfolded.
        var bomb = "a0: &a0 [x, x]\n"
        for level in 1..<30 { bomb += "a\(level): &a\(level) [*a\(level - 1), *a\(level - 1)]\n" }
        #expect(throws: ConfigError.self) { try ConfigLoader.flatten(yaml: bomb, source: "test.yaml") }
    }

    @Test("mirroring strategies as PeerTube writes them: a YAML sequence of mappings")
    func strategies() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("herd-\(UUID().uuidString).yaml")
        try """
        redundancy:
          videos:
            check_interval: 10 minutes
            strategies:
              - strategy: most-views
                size: 10GB
                min_lifetime: 48 hours
              - strategy: recently-added
                size: 2GB
                min_lifetime: 24 hours
                min_views: 10

        """.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let settings = try ConfigLoader.load(file: file.path, environment: [:])
        #expect(settings.redundancy.checkInterval == 600)
        #expect(
            settings.redundancy.strategies == [
                RedundancyStrategyConfig(strategy: .mostViews, size: 10 << 30, minLifetime: 48 * 3600),
                RedundancyStrategyConfig(strategy: .recentlyAdded, size: 2 << 30, minLifetime: 24 * 3600, minViews: 10),
            ])
        // A mapping where a plain list is expected, or a bad entry, is a clear error.
        try "federation:\n  allowlist:\n    - host: a.example\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: ConfigError.self) { try ConfigLoader.load(file: file.path, environment: [:]) }
        try "redundancy:\n  videos:\n    strategies:\n      - strategy: biggest\n        size: 1GB\n".write(
            to: file, atomically: true, encoding: .utf8)
        #expect(throws: ConfigError.self) { try ConfigLoader.load(file: file.path, environment: [:]) }
    }

    @Test("database kinds and URLs")
    func databaseURLs() throws {
        func backend(_ url: String, kind: String = "", pool: String = "20") throws -> Database.Backend {
            try Database.backend(
                for: try SettingsSchema.settings(from: [
                    "database.url": url, "database.kind": kind, "database.pool": pool, "storage.dir": "/srv/herd",
                ]))
        }
        #expect(try backend("") == .sqlite(path: "/srv/herd/herd.sqlite"))
        #expect(try backend("sqlite:///var/db/herd.sqlite") == .sqlite(path: "/var/db/herd.sqlite"))
        #expect(try backend("", kind: "sqlite") == .sqlite(path: "/srv/herd/herd.sqlite"))
        #expect(
            try backend("postgres://herd:secret@db.internal:6432/herd", kind: "postgres", pool: "40")
                == .postgres(url: "postgres://herd:secret@db.internal:6432/herd", pool: 40))
        // The kind follows the URL when not given.
        #expect(
            try backend("postgres://herd@localhost/herd") == .postgres(url: "postgres://herd@localhost/herd", pool: 20))
        #expect(throws: ConfigError.self) { try backend("", kind: "postgres") }
        #expect(throws: ConfigError.self) { try backend("postgres://localhost/herd", kind: "postgres") }  // no user
        #expect(throws: ConfigError.self) { try backend("mysql://x") }
        #expect(throws: ConfigError.self) { try backend("", kind: "oracle") }
        #expect(throws: ConfigError.self) { try backend("postgres://herd@localhost/herd", pool: "0") }
        // HERD_DATABASE_URL and HERD_DATABASE_KIND override the file.
        let settings = try ConfigLoader.load(
            file: nil, environment: ["HERD_DATABASE_KIND": "postgres", "HERD_DATABASE_URL": "postgres://u@h/d"])
        #expect(try Database.backend(for: settings) == .postgres(url: "postgres://u@h/d", pool: 20))
    }
}
