import HerdCore
import HummingbirdCore
import Logging
import NIOCore
import Synchronization

/// The edge of the HTTP listener (issue 14): open connections per client address (past `perAddress` a new one is
/// closed at once, so one address cannot take every connection) and the time a new connection has to send its
/// first request's line and headers (later requests are timed by Hummingbird's idle timeout, which with the
/// WebSocket upgrade starts only after the first request). Trusted proxies, which carry many clients, are not
/// counted. Shared by every connection of a listener.
public final class ConnectionLimits: Sendable {
    let perAddress: Int
    let headerTimeout: TimeAmount
    let network: NetworkSettings
    private let open = Mutex<[String: Int]>([:])

    public init(network: NetworkSettings) {
        self.network = network
        perAddress = network.maxConnectionsPerIP
        headerTimeout = .seconds(Int64(network.idleTimeout))
    }

    /// Counts a new connection from `address`; false when that address already has `perAddress` open.
    func opened(_ address: String) -> Bool {
        guard !network.isTrustedProxy(address) else { return true }
        return open.withLock { open in
            let count = open[address, default: 0]
            guard count < perAddress else { return false }
            open[address] = count + 1
            return true
        }
    }

    func closed(_ address: String) {
        guard !network.isTrustedProxy(address) else { return }
        open.withLock { open in
            let count = open[address, default: 1] - 1
            open[address] = count > 0 ? count : nil
        }
    }

    /// `inner` (the HTTP channel, with its WebSocket upgrade) with the guard first in every connection's pipeline.
    public func guarding<Inner: ServerChildChannel>(_ inner: Inner) -> some ServerChildChannel {
        GuardedChannel(inner: inner, limits: self)
    }

    struct GuardedChannel<Inner: ServerChildChannel>: ServerChildChannel {
        let inner: Inner
        let limits: ConnectionLimits

        func setup(channel: any NIOCore.Channel, logger: Logger) -> EventLoopFuture<Inner.Value> {
            do {
                try channel.pipeline.syncOperations.addHandler(Guard(limits: limits), position: .first)
            } catch {
                return channel.eventLoop.makeFailedFuture(error)
            }
            return inner.setup(channel: channel, logger: logger)
        }

        func handle(value: Inner.Value, logger: Logger) async {
            await inner.handle(value: value, logger: logger)
        }
    }

    /// Counts its connection for the whole life of the socket and closes it at once when its address is over the
    /// limit, or when the first request's head (up to the blank line that ends it, RFC 9112 §2.1) has not arrived
    /// within the header timeout.
    final class Guard: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = ByteBuffer
        typealias InboundOut = ByteBuffer
        let limits: ConnectionLimits
        private var started = false
        private var headSeen = false
        /// The last bytes read, to find CR LF CR LF across reads.
        private var tail: UInt32 = 0
        private var timeout: Scheduled<Void>?

        init(limits: ConnectionLimits) { self.limits = limits }

        func handlerAdded(context: ChannelHandlerContext) {
            if context.channel.isActive { start(context) }
        }

        func channelActive(context: ChannelHandlerContext) {
            start(context)
            context.fireChannelActive()
        }

        private func start(_ context: ChannelHandlerContext) {
            guard !started else { return }
            started = true
            guard let address = context.channel.remoteAddress?.ipAddress else { return }
            guard limits.opened(address) else {
                context.close(promise: nil)
                return
            }
            let limits = self.limits
            context.channel.closeFuture.whenComplete { _ in limits.closed(address) }
            let channel = context.channel
            timeout = context.eventLoop.scheduleTask(in: limits.headerTimeout) { channel.close(promise: nil) }
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            if !headSeen {
                let buffer = unwrapInboundIn(data)
                for byte in buffer.readableBytesView {
                    tail = tail << 8 | UInt32(byte)
                    if tail == 0x0D0A_0D0A {
                        headSeen = true
                        timeout?.cancel()
                        timeout = nil
                        break
                    }
                }
            }
            context.fireChannelRead(data)
        }

        func handlerRemoved(context: ChannelHandlerContext) {
            timeout?.cancel()
        }
    }
}
