// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "herd",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "herd", targets: ["herd"]),
        // For the fuzz package (Tests/Fuzz), which can only import what a product exports: the parsers of bytes
        // from the network and from uploads. Herd itself is built from the `herd` executable alone.
        .library(
            name: "HerdParsers",
            targets: ["HerdCore", "HerdBencode", "HerdTorrent", "HerdTracker", "HerdFederation", "HerdS3"]),
        .library(name: "HerdAPI", targets: ["HerdAPI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // Pure domain: types, state machines, store protocols. No I/O.
        .target(name: "HerdCore", swiftSettings: swiftSettings),
        // OpenSSL from the system (libssl-dev): hashing, KDF, randomness.
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(name: "HerdCrypto", dependencies: ["COpenSSL"], swiftSettings: swiftSettings),
        // Linux's sched_setattr(2) for the event loops' time slices.
        .systemLibrary(name: "CScheduling"),
        // ActivityPub, pure: HTTP Signatures, actors, activities and their JSON shapes (no sockets).
        .target(name: "HerdFederation", dependencies: ["HerdCore", "HerdCrypto"], swiftSettings: swiftSettings),
        // Adapter: ActivityPub over HTTP (AsyncHTTPClient): signed fetches and deliveries.
        .target(
            name: "HerdFederationClient",
            dependencies: [
                "HerdFederation", "HerdCrypto",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Adapters: SQLite stores (GRDB on the system libsqlite3).
        .target(
            name: "HerdStorage",
            dependencies: ["HerdCore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        // Adapters: PostgreSQL stores (postgres-nio), for instances on several machines (issue 18).
        .target(
            name: "HerdPostgres",
            dependencies: [
                "HerdCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The durable job queue's workers (the queue itself is a store).
        .target(
            name: "HerdJobs",
            dependencies: [
                "HerdCore",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The FFmpeg C libraries (libavformat, libavcodec, libswscale, libswresample, libavutil) and a thin
        // C shim for what Swift cannot call. Debian: libavformat-dev libavcodec-dev libswscale-dev.
        .target(
            name: "CFFmpeg",
            path: "Transcode/CFFmpeg",
            // Not linked: opened with dlopen on first use, so only transcoding children map them (issue 16).
            linkerSettings: [.linkedLibrary("dl")]
        ),
        // BitTorrent's bencoding (BEP 3): a strict decoder and the canonical encoder. No dependencies.
        .target(name: "HerdBencode", swiftSettings: swiftSettings),
        // Torrents: metainfo, piece hashing, magnet links (BEP 3, 9, 12, 19).
        .target(name: "HerdTorrent", dependencies: ["HerdBencode", "HerdCrypto"], swiftSettings: swiftSettings),
        // Trackers as pure state machines: swarms, HTTP announces (BEP 3, 23), the WebTorrent WebSocket protocol.
        .target(name: "HerdTracker", dependencies: ["HerdCore", "HerdBencode"], swiftSettings: swiftSettings),
        // S3, pure: AWS Signature Version 4 (headers and presigned URLs) on swift-crypto.
        .target(
            name: "HerdS3", dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings),
        // Adapter: media in S3-compatible object storage (AsyncHTTPClient, requests signed by HerdS3).
        .target(
            name: "HerdObjectStorage",
            dependencies: [
                "HerdCore", "HerdS3",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings),
        // Media planning: the ladder, fps and bitrate rules, as pure functions.
        .target(name: "HerdTranscode", dependencies: ["HerdCore"], swiftSettings: swiftSettings),
        // The FFmpeg adapter: probing (and, next, the one-pass transcoder). The only importer of CFFmpeg.
        .target(
            name: "HerdMedia",
            dependencies: [
                "HerdCore", "HerdTranscode", "HerdCrypto", "CFFmpeg", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The BitTorrent seeder: a swift-nio TCP listener around HerdTorrent's peer-wire state machine.
        .target(
            name: "HerdSeeder",
            dependencies: [
                "HerdCore", "HerdTorrent", "HerdTracker", "HerdBencode",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Media files on the local disk, in PeerTube's folders (`MediaStore`).
        .target(name: "HerdMediaStore", dependencies: ["HerdCore"], swiftSettings: swiftSettings),
        // Every domain decision, store write and side effect, by concept (issue 17): no HTTP, no database driver,
        // no FFmpeg, no sockets. The API's controllers and the background workers call its processors.
        .target(
            name: "HerdProcessing",
            dependencies: [
                "HerdCore", "HerdCrypto", "HerdFederation", "HerdTorrent", "HerdTranscode",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // HTTP API (Hummingbird).
        .target(
            name: "HerdAPI",
            dependencies: [
                "HerdCore", "HerdCrypto", "HerdFederation", "HerdTorrent", "HerdTracker", "HerdProcessing",
                "HerdSeeder",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "_NIOFileSystem", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
        // Composition root: configuration, wiring, commands.
        .target(
            name: "HerdApp",
            dependencies: [
                "HerdCore", "HerdCrypto", "HerdStorage", "HerdPostgres", "HerdAPI", "HerdJobs", "HerdMedia",
                "HerdTranscode",
                "HerdTorrent", "HerdBencode", "HerdTracker", "HerdSeeder", "HerdFederation", "HerdFederationClient",
                "HerdProcessing", "HerdMediaStore", "HerdObjectStorage", "HerdS3", "CScheduling",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "herd",
            dependencies: ["HerdApp", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings,
            // lld packs the executable's 52,000 relative relocations (DT_RELR, glibc 2.36+) into 14 KB; as 1.6 MB of
            // .rela.dyn they were read at every start and stayed resident (issue 16: idle RSS).
            linkerSettings: [.unsafeFlags(["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"])]
        ),
        // Benchmarks only: fills a database with videos through the stores.
        .executableTarget(
            name: "herd-bench-seed",
            dependencies: [
                "HerdCore", "HerdStorage", "HerdPostgres", "HerdObjectStorage", "HerdS3",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/Seed",
            swiftSettings: swiftSettings
        ),
        // Test-only helpers shared by the test targets (running child processes, pre-made actor keys).
        .target(
            name: "HerdTestSupport",
            dependencies: [
                "HerdCore", "HerdCrypto", "HerdPostgres", "HerdS3", "HerdObjectStorage", "HerdMediaStore",
                .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/HerdTestSupport",
            swiftSettings: swiftSettings),
        .testTarget(name: "HerdCoreTests", dependencies: ["HerdCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "HerdStorageTests",
            dependencies: [
                "HerdCore", "HerdStorage", "HerdPostgres", "HerdCrypto", "HerdTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HerdJobsTests",
            dependencies: [
                "HerdCore", "HerdJobs", "HerdStorage", "HerdPostgres", "HerdTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HerdMediaStoreTests",
            dependencies: ["HerdCore", "HerdMediaStore", "HerdObjectStorage", "HerdS3", "HerdTestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "HerdS3Tests",
            dependencies: ["HerdS3", .product(name: "Crypto", package: "swift-crypto")], exclude: ["Vectors"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "HerdBencodeTests", dependencies: ["HerdBencode", "HerdCrypto"], swiftSettings: swiftSettings),
        .testTarget(
            name: "HerdTorrentTests", dependencies: ["HerdTorrent", "HerdBencode", "HerdCrypto"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HerdTrackerTests", dependencies: ["HerdCore", "HerdTracker", "HerdBencode"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "HerdSeederTests", dependencies: ["HerdSeeder", "HerdTracker"], swiftSettings: swiftSettings),
        .testTarget(
            name: "HerdFederationTests", dependencies: ["HerdFederation", "HerdCrypto", "HerdTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "HerdTranscodeTests", dependencies: ["HerdTranscode"], swiftSettings: swiftSettings),
        .testTarget(
            name: "HerdMediaTests",
            dependencies: ["HerdCore", "HerdTranscode", "HerdMedia", "HerdCrypto", "HerdTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HerdAppTests",
            dependencies: [
                "HerdCore", "HerdApp", "HerdCrypto", "HerdFederation", "HerdFederationClient", "HerdObjectStorage",
                "HerdS3", "HerdTestSupport",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HerdProcessingTests",
            dependencies: [
                "HerdCore", "HerdCrypto", "HerdFederation", "HerdProcessing", "HerdStorage", "HerdPostgres",
                "HerdMediaStore", "HerdObjectStorage", "HerdTranscode", "HerdTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HerdAPITests",
            dependencies: [
                "HerdCore", "HerdCrypto", "HerdStorage", "HerdAPI", "HerdApp", "HerdTorrent", "HerdBencode",
                "HerdFederation", "HerdTracker", "HerdProcessing", "HerdSeeder",
                "HerdTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
