import HerdCore
import HerdTorrent
import HerdTracker
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// What every connection of the seeder shares.
struct SeederShared: Sendable {
    let catalog: SeedCatalog
    let slots: ConnectionSlots
    let throttle: UploadThrottle
    let threadPool: NIOThreadPool
    let peerID: [UInt8]
    let limits: SeederLimits
    let statistics: SeederCounters
    let availability: SwarmAvailability
    /// Complete peers the tracker knows in a torrent's swarm, besides this seeder (they may no longer be connected
    /// to it: a finished libtorrent closes its connections to seeds).
    let seedersElsewhere: @Sendable (InfoHash) -> Int
    /// Where files in object storage are read (`SeededFile.object`).
    let media: (any MediaStore)?
    let logger: Logger
}

/// Counters for logs, metrics and tests.
public final class SeederCounters: Sendable {
    public struct Snapshot: Sendable, Equatable {
        public var accepted = 0
        public var refused = 0
        public var uploadedBytes: Int64 = 0
    }

    private let state = Mutex(Snapshot())
    /// `uploadedBytes` already added to the metrics' counter.
    private let reported = Mutex<Int64>(0)

    func accepted() { state.withLock { $0.accepted += 1 } }
    func refused() { state.withLock { $0.refused += 1 } }
    func uploaded(_ bytes: Int) { state.withLock { $0.uploadedBytes += Int64(bytes) } }
    public var snapshot: Snapshot { state.withLock { $0 } }
    /// Bytes uploaded since the previous call (what a metrics scrape adds to `herd_seeder_bytes_total`).
    public func unreportedBytes() -> Int64 {
        let total = snapshot.uploadedBytes
        return reported.withLock { last in
            defer { last = max(last, total) }
            return max(0, total - last)
        }
    }
}

/// The BitTorrent seeder: a TCP listener speaking the peer protocol (BEP 3, 6, 10) that serves pieces of the
/// catalog's files straight from disk, or by ranged reads from object storage.
public final class Seeder: Service, Sendable {
    public let host: String
    public let requestedPort: Int
    public let catalog: SeedCatalog
    public let counters = SeederCounters()
    /// This seeder's BitTorrent peer id (Azureus style, `-HD0100-` + 12 random bytes).
    public let peerID: [UInt8]
    let shared: SeederShared
    private let bound = Mutex<Int?>(nil)
    private let boundStream = AsyncStream<Int>.makeStream(bufferingPolicy: .bufferingNewest(1))

    public init(
        host: String, port: Int, catalog: SeedCatalog, throttle: UploadThrottle, maxConnections: Int,
        limits: SeederLimits = SeederLimits(), seedersElsewhere: @escaping @Sendable (InfoHash) -> Int = { _ in 0 },
        media: (any MediaStore)? = nil, logger: Logger
    ) {
        self.host = host
        self.requestedPort = port
        self.catalog = catalog
        var generator = SystemRandomNumberGenerator()
        peerID = Array("-HD0100-".utf8) + (0..<12).map { _ in UInt8.random(in: 0...255, using: &generator) }
        shared = SeederShared(
            catalog: catalog, slots: ConnectionSlots(limit: maxConnections), throttle: throttle,
            threadPool: NIOThreadPool.singleton, peerID: peerID, limits: limits, statistics: counters,
            availability: SwarmAvailability(), seedersElsewhere: seedersElsewhere, media: media, logger: logger
        )
    }

    /// Whether a peer at `address` is connected to the seeder for the file at `path`: that client has the seeder
    /// and its swarm, so the web seed (BEP 19) need not send it the same bytes again.
    public func isServing(path: String, to address: String) -> Bool {
        guard let hash = catalog.hash(forPath: path) else { return false }
        return shared.availability.isConnected(hash, address: address)
    }

    /// The port it listens on, once bound.
    public var port: Int? { bound.withLock { $0 } }

    /// Waits until the listener is bound; returns its port.
    public func waitUntilBound() async -> Int? {
        if let port { return port }
        for await port in boundStream.stream { return port }
        return port
    }

    public func run() async throws {
        let shared = self.shared
        // Waiters learn of a failed bind too: the stream ends without a port.
        defer { boundStream.continuation.finish() }
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            // The next batch is read while the last one drains: writable until two batches are queued.
            .childChannelOption(
                .writeBufferWaterMark,
                value: .init(low: PeerConnectionHandler.batchBytes, high: 2 * PeerConnectionHandler.batchBytes)
            )
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(PeerConnectionHandler(shared: shared))
                }
            }
            .bind(host: host, port: requestedPort).get()
        let port = channel.localAddress?.port ?? requestedPort
        bound.withLock { $0 = port }
        boundStream.continuation.yield(port)
        shared.logger.info("seeder listening", metadata: ["address": "\(host):\(port)"])
        // Closed on graceful shutdown and on cancellation alike: a future's wait does not end with its task.
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                try? await channel.closeFuture.get()
            } onGracefulShutdown: {
                channel.close(promise: nil)
            }
        } onCancel: {
            channel.close(promise: nil)
        }
    }
}
