import Foundation
import HTTPTypes
import HerdCore
import HerdSeeder
import HerdTracker
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket

/// The tracker's HTTP side: `GET /tracker/announce` (BEP 3, compact peers BEP 23) and `GET /tracker/scrape`
/// (BEP 48). Trackers answer 200 with a bencoded body, failures included (`failure reason`), as clients expect.
struct TrackerController {
    let tracker: TrackerService

    func addRoutes(to router: Router<HerdRequestContext>) {
        router.get("/tracker/announce") { request, context in
            let query = request.uri.query ?? ""
            guard let remote = PeerAddress(context.remoteIP) else {
                return Self.bencoded(HTTPAnnounce.failure(TrackerFailure("cannot tell your address")))
            }
            // `ip=` is believed only from a loopback client talking to us directly (local tools), never from a
            // request a proxy forwarded.
            return Self.bencoded(
                tracker.httpAnnounce(query: query, remote: remote, acceptsClaimedAddress: !context.forwarded))
        }
        router.get("/tracker/scrape") { request, _ in
            Self.bencoded(tracker.httpScrape(query: request.uri.query ?? ""))
        }
    }

    static func bencoded(_ bytes: [UInt8]) -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/plain", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes))
        )
    }
}

/// The tracker's WebSocket side, `/tracker/socket`: the WebTorrent protocol (JSON text frames). Each connection
/// reads frames into the state machine and writes whatever the tracker queues for it, including offers and
/// answers relayed from other connections.
public enum TrackerSocket {
    /// Frames larger than this are refused by the WebSocket layer itself.
    public static let maxFrameSize = 64 * 1024

    public static func upgrade(
        _ request: HTTPRequest, tracker: TrackerService
    ) -> ShouldUpgradeResult<WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>> {
        guard request.path?.split(separator: "?").first == "/tracker/socket" else { return .dontUpgrade }
        return .upgrade([:]) { inbound, outbound, context in
            let (id, outgoing) = tracker.openSocket()
            defer { tracker.closeSocket(id) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await frame in outgoing {
                        switch frame {
                        case .text(let text): try await outbound.write(.text(text))
                        case .close(let reason):
                            try await outbound.close(.policyViolation, reason: String(reason.prefix(100)))
                            return
                        }
                    }
                }
                group.addTask {
                    for try await message in inbound.messages(maxSize: maxFrameSize) {
                        guard case .text(let text) = message else { continue }
                        tracker.receive(text, from: id)
                    }
                }
                // Whichever side ends first (peer gone, or tracker closing it) ends the connection.
                try await group.next()
                group.cancelAll()
            }
        }
    }
}
