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
/// read in batches, paced by the upload throttle: with `pread` on the shared thread pool, or for a file in object
/// storage by one ranged read per run of adjacent blocks.
final class PeerConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let shared: SeederShared
    var session: SeederSession
    /// The torrent's file once the handshake is accepted; a local one is opened on the thread pool by the first read.
    var seeded: SeededFile?
    var file: OpenFile?
    /// A batch of blocks is being read.
    var reading = false
    /// The torrent of this connection, once its handshake is accepted, and the peer's pieces as last counted in
    /// the shared availability.
    var hash: InfoHash?
    var countedPieces: [UInt8] = []
    /// Pieces this connection is being or has been sent: the peer holds them, or soon will, even if it never says
    /// so (libtorrent does not send `have` to seeds).
    var sentPieces: [UInt8] = []
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
            if let address = context.channel.remoteAddress?.ipAddress {
                shared.availability.disconnected(hash, address: address)
            }
        }
        let stats = session.statistics
        shared.logger.debug(
            "peer connection closed",
            metadata: [
                "client": "\(session.peerClientName ?? "?")", "uploaded": "\(stats.uploadedBytes)",
                "requests": "\(stats.requestsReceived)", "rejected": "\(stats.requestsRejected)",
                "swarm misses": "\(session.swarmMisses)",
            ])
        closed = true
        tick?.cancel()
        session.markClosed()
        shared.slots.release(context.channel)
        file = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        let actions = session.received(buffer.readableBytesView, now: Self.now())
        countAvailability()
        perform(actions, context: context)
    }

    /// Publishes what this peer holds (what it says, and what it was sent in full) to the shared availability.
    func countAvailability() {
        guard let hash, let torrent = session.torrent else { return }
        var holds = session.peerBitfield
        if holds.count < sentPieces.count { holds += [UInt8](repeating: 0, count: sentPieces.count - holds.count) }
        for index in sentPieces.indices { holds[index] |= sentPieces[index] }
        guard holds != countedPieces else { return }
        shared.availability.update(hash, from: countedPieces, to: holds, pieceCount: torrent.pieceCount)
        countedPieces = holds
    }

    /// The peer is being sent this piece: other peers may take it from there rather than from the seed.
    func noteSending(_ request: BlockRequest) {
        let byte = Int(request.index) / 8
        if sentPieces.count <= byte { sentPieces += [UInt8](repeating: 0, count: byte + 1 - sentPieces.count) }
        sentPieces[byte] |= 0x80 >> UInt8(Int(request.index) % 8)
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
                guard let info = InfoHash(bytes: hash), let seeded = shared.catalog.file(for: info) else {
                    close(context: context, reason: "the torrent is no longer seeded")
                    return
                }
                self.seeded = seeded
                self.hash = info
                let availability = shared.availability
                let elsewhere = shared.seedersElsewhere
                session.swarmHolders = { piece in
                    availability.peersHolding(info, piece: piece)
                        + availability.seedsElsewhere(info, listed: elsewhere(info), now: Self.now())
                }
                session.swarmMissed = { piece in
                    guard availability.peersHolding(info, piece: piece) == 0 else { return }
                    availability.missedElsewhere(info, listed: elsewhere(info), now: Self.now())
                }
                if let address = context.channel.remoteAddress?.ipAddress {
                    availability.connected(info, address: address)
                }
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

    /// Reads the next batch of queued blocks (one trip to the thread pool, up to `batchBytes`), paced by the upload
    /// throttle, writes them with one flush, and goes on while the socket takes more. One batch at a time: the next
    /// one is read while the last drains from the socket buffer.
    func pump(context: ChannelHandlerContext) {
        guard !closed, !reading, let seeded, let torrent = session.torrent, context.channel.isWritable else { return }
        var batch: [BlockRequest] = []
        var bytes = 0
        var rejects: [SeederAction] = []
        let now = Self.now()
        while bytes < Self.batchBytes, let request = session.nextBlockToSend(now: now, rejecting: &rejects) {
            batch.append(request)
            bytes += Int(request.length)
            noteSending(request)
        }
        if !rejects.isEmpty { perform(rejects, context: context) }
        countAvailability()
        guard !batch.isEmpty else { return }
        reading = true
        let delay = shared.throttle.reserve(bytes)
        let loop = context.eventLoop.assumeIsolated()
        if delay > 0 {
            loop.scheduleTask(in: .nanoseconds(Int64(delay * 1e9))) { [self] in
                send(batch, from: seeded, torrent: torrent, context: context)
            }
        } else {
            send(batch, from: seeded, torrent: torrent, context: context)
        }
    }

    static let batchBytes = 1024 * 1024

    func send(_ batch: [BlockRequest], from seeded: SeededFile, torrent: SeededTorrent, context: ChannelHandlerContext)
    {
        guard !closed else { return }
        let read: EventLoopFuture<(OpenFile?, ByteBuffer)>
        if let object = seeded.object {
            guard let media = shared.media else { return sent(batch, .failure(OpenFile.Unavailable()), context) }
            let promise = context.eventLoop.makePromise(of: (OpenFile?, ByteBuffer).self)
            promise.completeWithTask { (nil, try await ObjectBlocks.read(batch, torrent: torrent, object, in: media)) }
            read = promise.futureResult
        } else {
            let (opened, path) = (file, seeded.path)
            // Opening and reading both happen on the thread pool, never on the event loop.
            read = shared.threadPool.runIfActive(eventLoop: context.eventLoop) {
                guard let file = opened ?? OpenFile(path: path) else { throw OpenFile.Unavailable() }
                return (file, try file.blocks(batch, torrent: torrent))
            }
        }
        read.assumeIsolated().whenComplete { [self] result in sent(batch, result, context) }
    }

    /// A batch has been read (or could not be): its blocks go out, or are given back to the session.
    func sent(
        _ batch: [BlockRequest], _ result: Result<(OpenFile?, ByteBuffer), any Error>, _ context: ChannelHandlerContext
    ) {
        reading = false
        guard !closed else { return }
        switch result {
        case .success(let (opened, buffer)):
            if let opened { file = opened }
            context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
            let now = Self.now()
            for request in batch {
                session.blockSent(request, bytes: Int(request.length), now: now)
                shared.statistics.uploaded(Int(request.length))
            }
            pump(context: context)
        case .failure(let error):
            shared.logger.warning("cannot read blocks", metadata: ["error": "\(error)"])
            for request in batch {
                perform(session.blockFailed(request, now: Self.now()), context: context)
            }
        }
    }
}

/// Blocks of a file in object storage (`SeededFile.object`).
enum ObjectBlocks {
    /// The batch's `piece` messages, as `OpenFile.blocks` makes them: one ranged read per run of blocks that follow
    /// each other in the file (a peer asks for a piece's blocks in order).
    static func read(_ batch: [BlockRequest], torrent: SeededTorrent, _ object: MediaObject, in media: any MediaStore)
        async throws -> ByteBuffer
    {
        var buffer = ByteBufferAllocator().buffer(capacity: batch.reduce(0) { $0 + 13 + Int($1.length) })
        var first = 0
        while first < batch.count {
            let start = torrent.fileOffset(of: batch[first])
            var (last, end) = (first, start + Int64(batch[first].length))
            while last + 1 < batch.count, torrent.fileOffset(of: batch[last + 1]) == end {
                last += 1
                end += Int64(batch[last].length)
            }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(Int(end - start))
            for try await chunk in try await media.stream(object.kind, object.key, range: start...(end - 1)) {
                bytes += chunk
            }
            guard Int64(bytes.count) == end - start else { throw OpenFile.ShortRead() }
            var position = 0
            for request in batch[first...last] {
                buffer.writeBytes(PeerMessage.pieceHeader(for: request))
                buffer.writeBytes(bytes[position..<position + Int(request.length)])
                position += Int(request.length)
            }
            first = last + 1
        }
        return buffer
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
    struct Unavailable: Error {}

    /// The batch's `piece` messages (BEP 3: the 13-byte header, then the block read from the file), in one buffer:
    /// one allocation and one write for the batch rather than one per 16 KiB block.
    func blocks(_ batch: [BlockRequest], torrent: SeededTorrent) throws -> ByteBuffer {
        let total = batch.reduce(0) { $0 + 13 + Int($1.length) }
        var buffer = ByteBufferAllocator().buffer(capacity: total)
        for request in batch {
            buffer.writeBytes(PeerMessage.pieceHeader(for: request))
            try read(request, at: torrent.fileOffset(of: request), into: &buffer)
        }
        return buffer
    }

    private func read(_ request: BlockRequest, at offset: Int64, into buffer: inout ByteBuffer) throws {
        let length = Int(request.length)
        var done = 0
        while done < length {
            let count = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: length - done) { pointer in
                let got = pread(descriptor, pointer.baseAddress, length - done, off_t(offset) + off_t(done))
                return max(got, 0)
            }
            guard count > 0 else { throw ShortRead() }
            done += count
        }
    }
}
