import Foundation
import HerdCore
import HerdCrypto
import HerdFederation
import HerdMediaStore
import HerdObjectStorage
import HerdPostgres
import HerdProcessing
import HerdStorage
import HerdTestSupport
import Logging
import Testing

/// Processors on a real SQLite (or PostgreSQL, see `TestDatabases`) database and real media folders in a temporary
/// directory (or a bucket, see `TestObjectStorage`), with no HTTP: the other instances are an in-memory fediverse.
struct ProcessingHarness {
    let directory: String
    let processing: Processing
    let fediverse: MemoryFediverse

    init(_ configure: (inout [String: String]) -> Void = { _ in }) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("herd-processing-\(UUID())").path
        var values = [
            "storage.dir": directory + "/storage", "webserver.hostname": "localhost", "webserver.port": "80",
        ].merging(try await TestObjectStorage.settings(for: directory)) { $1 }
        configure(&values)
        let settings = try SettingsSchema.settings(from: values)
        let layout = StorageLayout(root: settings.storageDir)
        for folder in layout.allDirectories {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let stores: Stores
        if TestDatabases.usesPostgres {
            let postgres = try PostgresStorage(
                url: try await TestDatabases.url(for: directory), pool: 8, logger: PostgresTestServer.quietLogger)
            postgres.start()
            stores = postgres.stores
        } else {
            stores = try SQLiteDatabase(path: directory + "/herd.sqlite").stores
        }
        let local = LocalMediaStore(layout: layout)
        let media: any MediaStore =
            settings.objectStorage.enabled ? ObjectMediaStore(settings: settings.objectStorage, local: local) : local
        fediverse = MemoryFediverse()
        processing = Processing(
            settings: settings, stores: stores, layout: layout, media: media,
            passwords: PasswordHasher(iterations: 1_000), clock: SystemWallClock(), peers: PeerDeliveryDisabled(),
            fetcher: fediverse, makeKeys: ActorKeyMaker(TestActorKeys.next),
            logger: Logger(label: "herd-processing-test"))
        // The instance actor, as at every start.
        try await processing.actors.prepare()
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
        TestDatabases.drop(for: directory)
        TestObjectStorage.forget(directory)
    }

    /// A user with its account and default channel.
    func user(_ name: String, role: Role = .user) async throws -> UserBundle {
        try await processing.accounts.create(
            username: name, password: "password-\(name)", email: nil, role: role, quota: -1)
    }

    /// A published public video in the user's channel.
    func video(of bundle: UserBundle, _ name: String, comments: CommentsPolicy = .enabled) async throws
        -> VideoWithOwner
    {
        let video = try await processing.stores.videos.create(
            NewVideo(
                channelId: bundle.channels[0].id, name: name, state: .published, commentsPolicy: comments,
                publishedAt: Date()))
        return try #require(try await processing.stores.videos.find(.id(video.id)))
    }
}

/// Other instances' documents by URL, served to the processors' signed fetches.
final class MemoryFediverse: ActivityPubFetcher, @unchecked Sendable {
    private let lock = NSLock()
    private var documents: [String: JSONValue] = [:]

    subscript(url: String) -> JSONValue? {
        get { lock.withLock { documents[url] } }
        set { lock.withLock { documents[url] = newValue } }
    }

    func fetch(_ url: String, signer: FederationSigner?) async throws -> JSONValue {
        guard let document = self[url] else { throw FetchedObjectGone() }
        return document
    }

    func fetchMedia(_ url: String, maxBytes: Int) async throws -> [UInt8] { throw FetchedObjectGone() }

    /// An instance actor at `http://<host>/accounts/peertube` (the scheme of this test instance) with a real key.
    @discardableResult
    func instance(_ host: String) throws -> String {
        let url = "http://\(host)/accounts/peertube"
        self[url] = [
            "id": .string(url), "type": "Application", "preferredUsername": "peertube",
            "inbox": .string(url + "/inbox"), "endpoints": ["sharedInbox": .string("http://\(host)/inbox")],
            "publicKey": [
                "id": .string(url + "#main-key"), "publicKeyPem": .string(try RSAKey.generate().publicKeyPEM),
            ],
        ]
        return url
    }
}
