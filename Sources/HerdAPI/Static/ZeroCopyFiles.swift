import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Zero-copy delivery of static files (issue 16): the bytes of a file go from the page cache to the socket by
/// `sendfile`, never through a buffer in the process.
///
/// Hummingbird's response bodies carry `ByteBuffer`s only, so a route hands a file over in two steps: it registers
/// the file's range here and writes a short marker (a fixed prefix and a random 128-bit token) as the body;
/// `SendfileHandler`, just above NIO's HTTP encoder in each connection's pipeline, swaps a body part that is exactly
/// a registered marker for a `FileRegion` of that range. A marker nobody registered (or one already used) is only
/// bytes and passes through unchanged; tokens are random, so no response can name another's file.
public final class ZeroCopyFiles: Sendable {
    struct Token: Hashable {
        var high: UInt64
        var low: UInt64
    }

    struct Transfer {
        var path: String
        var offset: Int64
        var length: Int64
        var registered: ContinuousClock.Instant
    }

    private let pending = Mutex<[Token: Transfer]>([:])

    /// "\0HERDZC1" then the token's 16 bytes.
    static let prefix: [UInt8] = [0, 0x48, 0x45, 0x52, 0x44, 0x5A, 0x43, 0x31]
    static let markerLength = 24
    /// A marker written but never seen by a handler (its connection closed first) is forgotten after this.
    static let lifetime: Duration = .seconds(60)

    public init() {}

    /// Registers `range` of the file at `path` and returns the marker to write as the response body.
    func marker(path: String, range: ClosedRange<Int64>) -> ByteBuffer {
        var generator = SystemRandomNumberGenerator()
        let token = Token(high: generator.next(), low: generator.next())
        let now = ContinuousClock.now
        pending.withLock { pending in
            if pending.count >= 1024 { pending = pending.filter { now - $0.value.registered < Self.lifetime } }
            pending[token] = Transfer(
                path: path, offset: range.lowerBound, length: Int64(range.count), registered: now)
        }
        var buffer = ByteBuffer(bytes: Self.prefix)
        buffer.writeInteger(token.high)
        buffer.writeInteger(token.low)
        return buffer
    }

    /// The transfer a body part stands for, taken (it is used once); nil for any other bytes.
    func take(_ buffer: ByteBuffer) -> Transfer? {
        guard buffer.readableBytes == Self.markerLength,
            buffer.readableBytesView.prefix(Self.prefix.count).elementsEqual(Self.prefix),
            let high = buffer.getInteger(at: buffer.readerIndex + 8, as: UInt64.self),
            let low = buffer.getInteger(at: buffer.readerIndex + 16, as: UInt64.self)
        else { return nil }
        return pending.withLock { $0.removeValue(forKey: Token(high: high, low: low)) }
    }

    /// The handler Hummingbird adds to each HTTP/1 connection (`HTTP1Channel.Configuration`'s additional handlers,
    /// which sit above the HTTP codec): it puts `SendfileHandler` just above NIO's response encoder, where bodies
    /// can be file regions, and removes itself. Connections upgraded to WebSockets never get it.
    public func installer() -> any RemovableChannelHandler {
        SendfileInstaller(files: self)
    }
}

final class SendfileInstaller: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    let files: ZeroCopyFiles

    init(files: ZeroCopyFiles) { self.files = files }

    func handlerAdded(context: ChannelHandlerContext) {
        let pipeline = context.pipeline.syncOperations
        if let encoder = try? pipeline.handler(type: HTTPResponseEncoder.self) {
            try? pipeline.addHandler(SendfileHandler(files: files), position: .after(encoder))
        }
        pipeline.removeHandler(context: context, promise: nil)
    }
}

/// Swaps a registered marker body for a `FileRegion` (`sendfile` on Linux) of its file's range; everything else
/// passes through. The file is opened here, on the event loop (an `open` of a file the route just checked), and
/// closed once the region is written or the write failed.
final class SendfileHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart
    let files: ZeroCopyFiles

    init(files: ZeroCopyFiles) { self.files = files }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .body(.byteBuffer(let buffer)) = unwrapOutboundIn(data), let transfer = files.take(buffer) else {
            context.write(data, promise: promise)
            return
        }
        let descriptor = open(transfer.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            // The file went away after its headers were sent: the response cannot be completed.
            promise?.fail(ChannelError.ioOnClosedChannel)
            context.close(promise: nil)
            return
        }
        let handle = NIOFileHandle(_deprecatedTakingOwnershipOfDescriptor: descriptor)
        let region = FileRegion(
            fileHandle: handle, readerIndex: Int(transfer.offset), endIndex: Int(transfer.offset + transfer.length))
        let written = context.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenComplete { _ in try? handle.close() }
        if let promise { written.futureResult.cascade(to: promise) }
        context.write(wrapOutboundOut(.body(.fileRegion(region))), promise: written)
    }
}
