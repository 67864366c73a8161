import Foundation
import HerdCore
import HerdTracker
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif
// `timespec` comes through CDispatch or Glibc depending on the build; importing both keeps it resolvable under
// MemberImportVisibility (as in StaticFiles).
#if canImport(CDispatch)
    import CDispatch
#endif

/// The instance's tracker: one `Tracker` state machine (HTTP announces, BEP 3/23, and the WebTorrent WebSocket
/// protocol) behind a lock, plus the outgoing queues of the open WebSocket connections so that offers and answers
/// can be relayed between them.
public final class TrackerService: Sendable {
    private let tracker: Mutex<Tracker>
    private let sockets = Mutex<Sockets>(Sockets())

    struct Sockets {
        var next = 1
        var outgoing: [Int: AsyncStream<Outgoing>.Continuation] = [:]
    }

    public enum Outgoing: Sendable {
        case text(String)
        case close(String)
    }

    public init(limits: TrackerLimits = TrackerLimits()) {
        tracker = Mutex(Tracker(limits: limits))
    }

    /// Seconds on a monotonic clock: what the state machine measures intervals and timeouts with.
    public static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    public func register(_ hash: InfoHash) { tracker.withLock { _ = $0.register(hash) } }
    public func unregister(_ hash: InfoHash) { tracker.withLock { _ = $0.unregister(hash) } }
    public func isKnown(_ hash: InfoHash) -> Bool { tracker.withLock { $0.isKnown(hash) } }

    /// Swarms tracked, peers in them, and open WebSocket connections (`/metrics`).
    public var counts: (swarms: Int, peers: Int, webSockets: Int) {
        let (swarms, peers) = tracker.withLock { ($0.swarms.registeredCount, $0.swarms.peerCount) }
        return (swarms, peers, openSockets)
    }

    /// `GET /tracker/announce?…` → the bencoded body (success or `failure reason`, BEP 3).
    /// - Parameter acceptsClaimedAddress: whether the `ip` parameter may be honoured (a loopback client that came
    ///   through no proxy).
    public func httpAnnounce(query: String, remote: PeerAddress, acceptsClaimedAddress: Bool = false) -> [UInt8] {
        tracker.withLock {
            $0.httpAnnounce(query: query, remote: remote, now: Self.now(), acceptsClaimedAddress: acceptsClaimedAddress)
        }
    }

    /// `GET /tracker/scrape?…` (BEP 48).
    public func httpScrape(query: String) -> [UInt8] {
        tracker.withLock { $0.httpScrape(query: query, now: Self.now()) }
    }

    /// An announce made in-process, e.g. by the seeder for each torrent it holds.
    public func announce(_ request: AnnounceRequest) throws(TrackerFailure) -> AnnounceResult {
        try tracker.withLock { tracker throws(TrackerFailure) in try tracker.swarms.announce(request, now: Self.now()) }
    }

    /// Peers currently listed for a hash (tests, statistics).
    public func peers(in hash: InfoHash) -> [Peer] {
        tracker.withLock { $0.swarms.peers(in: hash, now: Self.now()) }
    }

    /// Whether a BitTorrent client at `address` (other than `except`) is in a swarm: it announced, so it has the
    /// seeder and the other peers.
    public func hasTCPPeer(in hash: InfoHash, address: String, except: PeerID? = nil) -> Bool {
        guard let wanted = PeerAddress(address) else { return false }
        return tracker.withLock {
            $0.swarms.peers(in: hash, now: Self.now()).contains { $0.endpoint?.address == wanted && $0.id != except }
        }
    }

    /// Complete peers (`left` 0) in a swarm, over both transports.
    public func seeders(in hash: InfoHash) -> Int {
        tracker.withLock { $0.swarms.stats(for: hash, now: Self.now())?.complete ?? 0 }
    }

    /// Forgets peers that stopped announcing.
    @discardableResult
    public func expire() -> Int { tracker.withLock { $0.expire(now: Self.now()) } }

    // MARK: WebSocket connections

    /// Opens a connection: its id and the stream of frames to write to it.
    public func openSocket() -> (id: Int, outgoing: AsyncStream<Outgoing>) {
        let (stream, continuation) = AsyncStream<Outgoing>.makeStream(bufferingPolicy: .bufferingNewest(256))
        let id = sockets.withLock { sockets in
            let id = sockets.next
            sockets.next += 1
            sockets.outgoing[id] = continuation
            return id
        }
        return (id, stream)
    }

    /// One text frame from a connection: runs the state machine and queues what it says to send.
    public func receive(_ text: String, from connection: Int) {
        let outputs = tracker.withLock { $0.receive(text, from: connection, now: Self.now()) }
        let targets = sockets.withLock { $0.outgoing }
        for output in outputs {
            switch output {
            case .send(let id, let text): targets[id]?.yield(.text(text))
            case .close(let id, let reason): targets[id]?.yield(.close(reason))
            }
        }
    }

    public func closeSocket(_ connection: Int) {
        tracker.withLock { $0.disconnect(connection: connection) }
        sockets.withLock { $0.outgoing.removeValue(forKey: connection) }?.finish()
    }

    public var openSockets: Int { sockets.withLock { $0.outgoing.count } }
}
