import HerdCore
import HerdTorrent
import HerdTracker
import Logging
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// A thin swift-nio handler around `SeederSession` (the BEP 3/6/10 state machine): bytes in, actions out. Blocks go
/// out straight from the file with sendfile, in batches paced by the upload throttle.
final class PeerConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = IOData

    let shared: SeederShared
    var session: SeederSession
    /// The torrent's file, open while the connection lives; blocks go out with sendfile (`FileRegion`).
    var file: NIOFileHandle?
    /// A batch of blocks is being written.
    var sending = false
    /// The torrent of this connection, once its handshake is accepted, and the peer's pieces as last counted in
    /// the shared availability.
    var hash: InfoHash?
    var countedPieces: [UInt8] = []
    var tick: Scheduled<Void>?
    var closed = false

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
        if let hash, let torrent = session.torrent {
            shared.availability.update(hash, from: countedPieces, to: [], pieceCount: torrent.pieceCount)
        }
        closed = true
        tick?.cancel()
        session.markClosed()
        shared.slots.release(context.channel)
        try? file?.close()
        file = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        let actions = session.received(buffer.readableBytesView, now: Self.now())
        if let hash, let torrent = session.torrent, session.peerBitfield != countedPieces {
            shared.availability.update(
                hash, from: countedPieces, to: session.peerBitfield, pieceCount: torrent.pieceCount)
            countedPieces = session.peerBitfield
        }
        perform(actions, context: context)
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
                    case let descriptor = open(seeded.path, O_RDONLY | O_CLOEXEC), descriptor >= 0
                else {
                    close(context: context, reason: "the file is not available")
                    return
                }
                file = NIOFileHandle(_deprecatedTakingOwnershipOfDescriptor: descriptor)
                self.hash = info
                let availability = shared.availability
                session.swarmHasPiece = { availability.peersHolding(info, piece: $0) > 0 }
                shared.slots.established(context.channel)
            case .send(let bytes):
                context.write(
                    wrapOutboundOut(.byteBuffer(context.channel.allocator.buffer(bytes: bytes))), promise: nil)
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

    /// Sends queued blocks while the socket takes more: each as its 13-byte `piece` header and a `FileRegion`
    /// (sendfile, no copy), paced by the upload throttle one batch at a time.
    func pump(context: ChannelHandlerContext) {
        guard !closed, !sending, let file, let torrent = session.torrent, context.channel.isWritable else { return }
        var batch: [BlockRequest] = []
        var bytes = 0
        while bytes < Self.batchBytes, let request = session.nextBlockToSend() {
            batch.append(request)
            bytes += Int(request.length)
        }
        guard !batch.isEmpty else { return }
        sending = true
        let delay = shared.throttle.reserve(bytes)
        if delay > 0 {
            context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(Int64(delay * 1e9))) { [self] in
                send(batch, from: file, torrent: torrent, context: context)
            }
        } else {
            send(batch, from: file, torrent: torrent, context: context)
        }
    }

    static let batchBytes = 512 * 1024

    func send(_ batch: [BlockRequest], from file: NIOFileHandle, torrent: SeededTorrent, context: ChannelHandlerContext)
    {
        guard !closed else { return }
        let done = context.eventLoop.makePromise(of: Void.self)
        for (position, request) in batch.enumerated() {
            let offset = Int(torrent.fileOffset(of: request))
            let header = context.channel.allocator.buffer(bytes: PeerMessage.pieceHeader(for: request))
            context.write(wrapOutboundOut(.byteBuffer(header)), promise: nil)
            let region = FileRegion(fileHandle: file, readerIndex: offset, endIndex: offset + Int(request.length))
            context.write(wrapOutboundOut(.fileRegion(region)), promise: position == batch.count - 1 ? done : nil)
        }
        context.flush()
        // Count the blocks as they are handed to the socket, and refill the pipe right away.
        let now = Self.now()
        for request in batch {
            session.blockSent(request, bytes: Int(request.length), now: now)
            shared.statistics.uploaded(Int(request.length))
        }
        done.futureResult.assumeIsolated().whenComplete { [self] result in
            sending = false
            if case .failure(let error) = result {
                shared.logger.debug("peer write failed", metadata: ["error": "\(error)"])
                return
            }
            pump(context: context)
        }
    }
}
