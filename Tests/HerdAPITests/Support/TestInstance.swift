import Foundation
import HTTPTypes
import HerdAPI
import HerdApp
import HerdCore
import HerdCrypto
import HerdFederation
import HerdProcessing
import HerdTestSupport
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A real Herd instance for tests: its own storage folder with a real SQLite file (or PostgreSQL database, see
/// `TestDatabases`; and a bucket, see `TestObjectStorage`), the real router.
struct TestInstance: Sendable {
    static let rootPassword = "root-password"

    let directory: String
    var herd: HerdApplication

    var settings: Settings { herd.settings }
    var stores: Stores { herd.stores }
    var layout: StorageLayout { herd.processing.layout }
    /// Where its media is: `layout`'s folders, or a bucket (`TestObjectStorage`).
    var media: any MediaStore { herd.processing.media }

    /// A stored file's bytes, from the disk or the bucket; nil if there is none.
    func stored(_ kind: MediaKind, _ key: String) async throws -> [UInt8]? {
        try await media.read(kind, key, maxBytes: 1 << 30)
    }

    /// - Parameter configure: adjusts the settings (signup, quotas, …) before the instance opens.
    init(
        directory: String? = nil, clock: any WallClock = SystemWallClock(), fetcher: (any ActivityPubFetcher)? = nil,
        makeKeys: ActorKeyMaker = ActorKeyMaker(TestActorKeys.next),
        _ configure: (inout [String: String]) -> Void = { _ in }
    ) async throws {
        let directory =
            directory
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("herd-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var values = [
            "storage.dir": directory + "/storage", "listen.port": "0", "webserver.hostname": "localhost",
            "webserver.port": "80", "log.level": "error", "p2p.seeder.port": "0",
            // Tests register many users from one address; the limit itself is tested against a real server.
            "rates_limit.signup.max": "1000",
            "database.url": try await TestDatabases.url(for: directory),
        ].merging(try await TestObjectStorage.settings(for: directory)) { $1 }
        configure(&values)
        let settings = try SettingsSchema.settings(from: values)
        var logger = Logger(label: "herd-test")
        logger.logLevel = .error
        self.directory = directory
        // A low iteration count keeps tests fast; production uses PasswordHasher's default.
        herd = try await HerdApplication(
            settings: settings, logger: logger, rootPassword: Self.rootPassword,
            passwords: PasswordHasher(iterations: 1_000), clock: clock, fetcher: fetcher,
            makeKeys: makeKeys
        )
        // Jobs run when a test says so (`JobWorkers.runNext`), never behind its back.
        herd.runsJobWorkers = false
        // Transcodes run in a child `herd transcode-job`, as in the server.
        herd.transcoderExecutable = BuiltHerd.path
        // The router test mode has no connections to carry sendfile; real servers are tested by ZeroCopyDeliveryTests.
        herd.zeroCopy = false
    }

    func remove() {
        herd.closeDatabase()
        try? FileManager.default.removeItem(atPath: directory)
        TestDatabases.drop(for: directory)
        TestObjectStorage.forget(directory)
    }

    /// Runs `body` against the real router, without sockets.
    func withClient<T>(_ setup: TestingSetup = .router, _ body: @Sendable (any TestClientProtocol) async throws -> T)
        async throws -> T
    {
        try await herd.makeApplication().test(setup) { client in try await body(client) }
    }
}

/// Small helpers over the test client.
extension TestClientProtocol {
    func request(
        _ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json: String? = nil,
        headers: HTTPFields = [:], body: ByteBuffer? = nil
    ) async throws -> TestResponse {
        var fields = headers
        if let token { fields[.authorization] = "Bearer \(token)" }
        var payload = body
        if let json {
            fields[.contentType] = "application/json"
            payload = ByteBuffer(string: json)
        }
        return try await execute(uri: uri, method: method, headers: fields, body: payload)
    }

    /// `request`, following a redirect off the instance (to the bucket, when media is in object storage, see
    /// `TestObjectStorage`) with the same method and headers, as a player or browser would.
    func fetch(_ method: HTTPRequest.Method = .get, _ uri: String, token: String? = nil, headers: HTTPFields = [:])
        async throws -> FetchedResponse
    {
        let response = try await request(method, uri, token: token, headers: headers)
        guard [.found, .temporaryRedirect].contains(response.status),
            let location = response.headers[.location].flatMap(URL.init(string:)), location.host != nil
        else { return FetchedResponse(status: response.status, headers: response.headers, body: response.body) }
        var outside = URLRequest(url: location)
        outside.httpMethod = method.rawValue
        for field in headers { outside.setValue(field.value, forHTTPHeaderField: field.name.canonicalName) }
        let (data, answer) = try await URLSession.shared.data(for: outside)
        let http = try #require(answer as? HTTPURLResponse)
        var fields = HTTPFields()
        for case (let name as String, let value as String) in http.allHeaderFields {
            if let name = HTTPField.Name(name) { fields[name] = value }
        }
        return FetchedResponse(status: .init(code: http.statusCode), headers: fields, body: ByteBuffer(bytes: data))
    }

    /// Logs in with the password grant and returns the access token.
    func login(_ username: String, _ password: String) async throws -> String {
        let tokens = try await loginTokens(username, password)
        return try #require(tokens["access_token"] as? String)
    }

    func loginTokens(_ username: String, _ password: String) async throws -> [String: Any] {
        // The test client always sends `localhost` as the authority, which is the instances' public host.
        let client = try await execute(uri: "/api/v1/oauth-clients/local", method: .get)
        #expect(client.status == .ok, "\(client.status)")
        let clientJSON = try client.json()
        let form =
            "client_id=\(try #require(clientJSON["client_id"] as? String))&client_secret=\(try #require(clientJSON["client_secret"] as? String))"
            + "&grant_type=password&username=\(username)&password=\(password)"
        let response = try await execute(
            uri: "/api/v1/users/token", method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: form)
        )
        #expect(response.status == .ok, "login of \(username) failed: \(String(buffer: response.body))")
        return try response.json()
    }

    /// Creates a user through the admin API and returns its token.
    func createUser(_ username: String, role: Int = 2, quota: Int64? = nil, adminToken: String) async throws -> String {
        let quotaField = quota.map { ",\"videoQuota\":\($0)" } ?? ""
        let response = try await request(
            .post, "/api/v1/users", token: adminToken,
            json:
                "{\"username\":\"\(username)\",\"password\":\"secret-\(username)\",\"email\":\"\(username)@example.org\",\"role\":\(role)\(quotaField)}"
        )
        #expect(response.status == .ok, "\(String(buffer: response.body))")
        return try await login(username, "secret-\(username)")
    }
}

/// A response from the instance or from where it redirected (`fetch`).
struct FetchedResponse {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let body: ByteBuffer

    var text: String { String(buffer: body) }
}

extension TestResponse {
    func json() throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(body.readableBytesView))
        return try #require(object as? [String: Any], "not a JSON object: \(String(buffer: body))")
    }

    func jsonArray(_ key: String) throws -> [[String: Any]] {
        try #require(try json()[key] as? [[String: Any]])
    }

    var text: String { String(buffer: body) }
}

/// The shared test vectors (`../shared/vectors` beside the repository).
enum Vectors {
    static var root: String {
        if let configured = ProcessInfo.processInfo.environment["HERD_VECTORS"] { return configured }
        let here = URL(fileURLWithPath: #filePath)
        return here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/vectors").path
    }

    static func media(_ name: String) -> String { root + "/peertube/media/" + name }
}
