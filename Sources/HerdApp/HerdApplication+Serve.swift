import Foundation
import HerdCore
import HerdSeeder
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import UnixSignals

extension HerdApplication {
    /// How long SIGTERM or SIGINT waits for requests and jobs in flight before the process exits anyway. Uploads
    /// and jobs cut short are resumed after the next start.
    static let shutdownGrace: Duration = .seconds(10)

    /// `herd serve`: the listeners first (HTTP, the seeder), then the background work once every one is bound; a
    /// listener that cannot bind ends the start with a non-zero exit. SIGTERM and SIGINT stop it gracefully, and
    /// within `shutdownGrace` in any case; a second signal ends it at once.
    public func serve() async throws {
        let httpAddress = "\(settings.listenHostname):\(settings.listenPort)"
        var names: Set<String> = ["HTTP server"]
        let seeder = settings.p2p.trackerEnabled ? peers?.seeder : nil
        if seeder != nil { names.insert("seeder") }
        let gate = ListenerGate(listeners: names, logger: logger) { [logger, settings] addresses in
            logger.info(
                "Herd is listening on \(addresses["HTTP server"] ?? httpAddress): open \(settings.baseURL)/",
                metadata: [
                    "address": "\(addresses["HTTP server"] ?? httpAddress)", "public_url": "\(settings.baseURL)",
                    "storage": "\(settings.storageDir)", "seeder": "\(addresses["seeder"] ?? "off")",
                ])
        }
        if settings.listenPort != 0 {
            do {
                try await Self.probe(host: settings.listenHostname, port: settings.listenPort)
            } catch {
                gate.failed("HTTP server", address: httpAddress, error: error)
            }
        }
        let http = makeApplication(services: []) { channel in
            gate.bound("HTTP server", address: channel.localAddress.map(Self.describe) ?? httpAddress)
        }
        var services: [any Service] =
            databaseServices + [
                Listener(name: "HTTP server", address: httpAddress, gate: gate, service: http, bound: nil)
            ]
        if let seeder {
            let host = settings.listenHostname
            services.append(
                Listener(
                    name: "seeder", address: "\(host):\(settings.p2p.seederPort)", gate: gate, service: seeder,
                    bound: { await seeder.waitUntilBound().map { "\(host):\($0)" } }))
        }
        services += backgroundServices.map { AfterListening(gate: gate, service: $0) }
        try await runUntilSignalled(services)
        logger.info("Herd stopped")
    }

    /// Runs `services` in one group until they end, or SIGTERM or SIGINT stop them gracefully (within
    /// `shutdownGrace` in any case; a second signal ends the process at once).
    func runUntilSignalled(_ services: [any Service]) async throws {
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [], logger: logger))
        let logger = self.logger
        try await withThrowingTaskGroup(of: Void.self, returning: Void.self) { tasks in
            tasks.addTask {
                var signals = 0
                for await signal in await UnixSignalsSequence(trapping: .sigterm, .sigint) {
                    signals += 1
                    guard signals == 1 else {
                        logger.notice("second \(signal): exiting now")
                        exit(1)
                    }
                    logger.notice("\(signal): stopping (at most \(Self.shutdownGrace))")
                    ShutdownDeadline.start(after: Self.shutdownGrace, logger: logger)
                    await group.triggerGracefulShutdown()
                }
            }
            try await group.run()
            tasks.cancelAll()
        }
    }

    /// Binds the HTTP address once and lets it go, before the start: a taken port then ends the start at once with
    /// the clear line. Left to Hummingbird, the failed bind cancels its own service group, and that cancellation can
    /// hang for ever (swift-async-algorithms' `merge` unlocks its lock from another thread on Swift 6.0–6.3,
    /// apple/swift-async-algorithms#430; seen once in the full suite). Other bind failures still come from the real
    /// bind, which follows at once.
    static func probe(host: String, port: Int) async throws {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port).get()
        try await channel.close()
    }

    static func describe(_ address: SocketAddress) -> String {
        guard let ip = address.ipAddress, let port = address.port else { return "\(address)" }
        return address.protocol == .inet6 ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }
}

/// A background service that starts only once every listener is bound.
struct AfterListening: Service {
    let gate: ListenerGate
    let service: any Service

    func run() async throws {
        guard await gate.wait() else { return }
        try await QuietWhenStopping(service: service).run()
    }
}

/// A background service whose work in flight when the process is asked to stop (a query or an S3 request cut short)
/// ends it quietly: thrown, the error would turn the graceful shutdown into a cancellation of every service, which can
/// hang Hummingbird's server (see `probe`).
struct QuietWhenStopping: Service {
    let service: any Service

    func run() async throws {
        do {
            try await service.run()
        } catch  where Task.isShuttingDownGracefully || Task.isCancelled {
            return
        }
    }
}

/// The bound on a graceful stop: a plain thread (not the cooperative pool, which work stuck in a blocking call may
/// hold) that ends the process when the grace period is over.
enum ShutdownDeadline {
    static func start(after grace: Duration, logger: Logger) {
        let thread = Thread {
            let seconds = Double(grace.components.seconds) + Double(grace.components.attoseconds) / 1e18
            Thread.sleep(forTimeInterval: seconds)
            logger.warning("did not stop within \(grace): exiting")
            exit(1)
        }
        thread.start()
    }
}
