import HerdCore
import HerdTorrent
import HerdTracker
import Logging
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// A thin swift-nio handler around `SeederSession` (the BEP 3/6/10 state machine): bytes in, actions out. Blocks are
/// read with `pread` on the shared thread pool, paced by the upload throttle, at most `maxInFlight` at a time.
final class PeerConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let shared: SeederShared
    var session: SeederSession
    var file: OpenFile?
    var inFlight = 0
    var tick: Scheduled<Void>?
    var closed = false
    let maxInFlight = 4

    init(shared: SeederShared) {
        self.shared = shared
        let catalog = shared.catalog
        session = SeederSession(
            localPeerID: shared.peerID, limits: shared.limits, clientVersion: "Herd", now: Self.now()
        ) { hash in
            InfoHash(bytes: hash).flatMap(catalog.file(for:)).map {
                SeededTorrent(pieceLength: $0.pieceLength, totalLength: $0.length)
            }
        }
    }

    static func now() -> Double { Double(NIODeadline.now().uptimeNanoseconds) / 1e9 }

    func channelActive(context: ChannelHandlerContext) {
        guard shared.slots.admit(context.channel, now: Self.now()) else {
            shared.statistics.refused()
            context.close(promise: nil)
            return
        }
        shared.statistics.accepted()
        scheduleTick(context: context)
        context.fireChannelActive()
    }

    /// Every 5 s: timeouts and keep-alives (the session decides).
    func scheduleTick(context: ChannelHandlerContext) {
        tick = context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(5)) { [self] in
            guard !closed else { return }
            perform(session.tick(now: Self.now()), context: context)
            scheduleTick(context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        closed = true
        tick?.cancel()
        session.markClosed()
        shared.slots.release(context.channel)
        file = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        perform(session.received(buffer.readableBytesView, now: Self.now()), context: context)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        pump(context: context)
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        shared.logger.debug("peer connection error", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }

    func perform(_ actions: [SeederAction], context: ChannelHandlerContext) {
        guard !closed else { return }
        var wrote = false
        for action in actions {
            switch action {
            case .handshakeAccepted(let hash):
                guard let info = InfoHash(bytes: hash), let seeded = shared.catalog.file(for: info),
                    let opened = OpenFile(path: seeded.path)
                else {
                    close(context: context, reason: "the file is not available")
                    return
                }
                file = opened
                shared.slots.established(context.channel)
            case .send(let bytes):
                context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: nil)
                wrote = true
            case .blocksAvailable:
                if wrote { context.flush() }
                wrote = false
                pump(context: context)
            case .close(let reason):
                if wrote { context.flush() }
                close(context: context, reason: reason)
                return
            }
        }
        if wrote { context.flush() }
    }

    func close(context: ChannelHandlerContext, reason: String) {
        guard !closed else { return }
        closed = true
        shared.logger.debug("closing peer connection", metadata: ["reason": "\(reason)"])
        context.close(promise: nil)
    }

    /// Starts reading and sending queued blocks while there is room.
    func pump(context: ChannelHandlerContext) {
        while !closed, inFlight < maxInFlight, context.channel.isWritable, let file,
            let request = session.nextBlockToSend()
        {
            inFlight += 1
            let delay = shared.throttle.reserve(Int(request.length))
            let loop = context.eventLoop.assumeIsolated()
            if delay > 0 {
                loop.scheduleTask(in: .nanoseconds(Int64(delay * 1e9))) { [self] in
                    send(request, from: file, context: context)
                }
            } else {
                send(request, from: file, context: context)
            }
        }
    }

    func send(_ request: BlockRequest, from file: OpenFile, context: ChannelHandlerContext) {
        guard !closed, let torrent = session.torrent else {
            inFlight -= 1
            return
        }
        let offset = torrent.fileOffset(of: request)
        let read = shared.threadPool.runIfActive(eventLoop: context.eventLoop) {
            try file.block(request, at: offset)
        }
        read.assumeIsolated().whenComplete { [self] result in
            switch result {
            case .success(let buffer):
                guard !closed else {
                    inFlight -= 1
                    return
                }
                let length = Int(request.length)
                context.writeAndFlush(wrapOutboundOut(buffer)).assumeIsolated().whenComplete { [self] written in
                    inFlight -= 1
                    guard case .success = written else { return }
                    session.blockSent(request, bytes: length, now: Self.now())
                    shared.statistics.uploaded(length)
                    pump(context: context)
                }
            case .failure(let error):
                inFlight -= 1
                shared.logger.warning("cannot read a block", metadata: ["error": "\(error)", "block": "\(request)"])
                perform(session.blockFailed(request, now: Self.now()), context: context)
            }
        }
    }
}

/// A file opened for `pread`; closed when the last reader lets go (never under a read in flight).
final class OpenFile: Sendable {
    let descriptor: Int32

    init?(path: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        descriptor = fd
    }

    deinit { close(descriptor) }

    struct ShortRead: Error {}

    /// A `piece` message (BEP 3): the 13-byte header, then the block read from the file.
    func block(_ request: BlockRequest, at offset: Int64) throws -> ByteBuffer {
        let length = Int(request.length)
        var buffer = ByteBufferAllocator().buffer(capacity: 13 + length)
        buffer.writeBytes(PeerMessage.pieceHeader(for: request))
        var done = 0
        while done < length {
            let count = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: length - done) { pointer in
                let got = pread(descriptor, pointer.baseAddress, length - done, off_t(offset) + off_t(done))
                return max(got, 0)
            }
            guard count > 0 else { throw ShortRead() }
            done += count
        }
        return buffer
    }
}
