/// What the WebSocket tracker asks its host to do.
public enum WebSocketTrackerOutput: Hashable, Sendable {
    /// Send `text` as one text frame on `connection`.
    case send(connection: Int, text: String)
    /// Close `connection` (after sending whatever precedes this in the same batch). The tracker has already
    /// dropped its peers and ignores its further messages; `disconnect(connection:)` is still expected, once the
    /// socket is gone.
    case close(connection: Int, reason: String)
}

/// One WebRTC session description relayed between peers: only `type` and `sdp` are kept, so the tracker never
/// relays anything else a client might stuff in.
struct SessionDescription: Hashable, Sendable {
    let type: String
    let sdp: String

    init?(_ value: JSONValue?, type expected: String, maxSDPBytes: Int) {
        guard let value, value["type"]?.string == expected, let sdp = value["sdp"]?.string,
            sdp.utf8.count <= maxSDPBytes
        else { return nil }
        type = expected
        self.sdp = sdp
    }

    var json: JSONValue { .object([("type", .string(type)), ("sdp", .string(sdp))]) }
}

/// A WebTorrent offer, `{offer: {type: "offer", sdp}, offer_id}`.
struct RelayedOffer: Hashable, Sendable {
    let description: SessionDescription
    let offerID: [UInt8]
}

/// The JSON messages of the WebTorrent tracker protocol, as bittorrent-tracker's server writes them.
enum WebSocketMessage {
    static func announceReply(infoHash: InfoHash, result: AnnounceResult, interval: Double) -> String {
        JSONValue.object([
            ("action", .string("announce")),
            ("interval", .integer(Int64(interval.rounded()))),
            ("info_hash", .string(infoHash.binaryString)),
            ("complete", .integer(Int64(result.complete))),
            ("incomplete", .integer(Int64(result.incomplete))),
        ]).jsonText
    }

    static func offer(_ offer: RelayedOffer, from peerID: PeerID, infoHash: InfoHash) -> String {
        JSONValue.object([
            ("action", .string("announce")),
            ("offer", offer.description.json),
            ("offer_id", .string(BinaryString.string(offer.offerID))),
            ("peer_id", .string(peerID.binaryString)),
            ("info_hash", .string(infoHash.binaryString)),
        ]).jsonText
    }

    static func answer(_ answer: SessionDescription, offerID: [UInt8], from peerID: PeerID, infoHash: InfoHash)
        -> String
    {
        JSONValue.object([
            ("action", .string("announce")),
            ("answer", answer.json),
            ("offer_id", .string(BinaryString.string(offerID))),
            ("peer_id", .string(peerID.binaryString)),
            ("info_hash", .string(infoHash.binaryString)),
        ]).jsonText
    }

    static func scrapeReply(_ stats: [InfoHash: ScrapeStats]) -> String {
        let files = stats.sorted { $0.key.bytes.lexicographicallyPrecedes($1.key.bytes) }.map { hash, stats in
            (
                hash.binaryString,
                JSONValue.object([
                    ("complete", .integer(Int64(stats.complete))),
                    ("incomplete", .integer(Int64(stats.incomplete))),
                    ("downloaded", .integer(Int64(stats.downloaded))),
                ])
            )
        }
        return JSONValue.object([("action", .string("scrape")), ("files", .object(files))]).jsonText
    }

    static func failure(_ failure: TrackerFailure, action: String?, infoHash: InfoHash?) -> String {
        var members: [(String, JSONValue)] = [("failure reason", .string(failure.reason))]
        if let infoHash { members.append(("info_hash", .string(infoHash.binaryString))) }
        if let action { members.append(("action", .string(action))) }
        return JSONValue.object(members).jsonText
    }
}
