import HerdBencode
import HerdCore

/// The HTTP tracker protocol (BEP 3, compact peer lists BEP 23, IPv6 `peers6` BEP 7): parsing an announce
/// query and encoding the bencoded answer. Trackers answer HTTP 200 in both cases; a failure is a dictionary with
/// `failure reason`.
public enum HTTPAnnounce {
    /// Parses the raw (still percent-encoded) query string of `GET /announce?…`.
    ///
    /// Required: `info_hash` and `peer_id` (20 bytes each, percent-encoded byte-wise), `port` (1–65535),
    /// `uploaded`, `downloaded`, `left` (non-negative integers). Optional: `compact` (default 1), `no_peer_id`,
    /// `numwant`, `event` (`started`, `completed`, `stopped`, empty), `key`. Unknown parameters are ignored; a
    /// known one given twice is refused.
    ///
    /// `remote` must be the client's real address (behind a reverse proxy, the HTTP layer takes it from the
    /// trusted forwarding header). The `ip` parameter is honored only when `acceptsClaimedAddress` (the HTTP layer
    /// allows it for loopback clients that came through no proxy: local tools and tests) and `remote` is loopback:
    /// from anyone else it would let a client point a swarm at a third party's address.
    public static func parse(
        query: some StringProtocol, remote: PeerAddress, limits: TrackerLimits = TrackerLimits(),
        acceptsClaimedAddress: Bool = false
    ) throws(TrackerFailure) -> AnnounceRequest {
        guard query.utf8.count <= limits.maxQueryLength else { throw TrackerFailure("query too long") }
        let query = try QueryString(query)

        guard let hashBytes = try query.single("info_hash") else { throw .missing("info_hash") }
        guard let infoHash = InfoHash(bytes: hashBytes) else { throw TrackerFailure("info_hash must be 20 bytes") }
        guard let idBytes = try query.single("peer_id") else { throw .missing("peer_id") }
        guard let peerID = PeerID(bytes: idBytes) else { throw TrackerFailure("peer_id must be 20 bytes") }

        guard let portBytes = try query.single("port") else { throw .missing("port") }
        guard let port = QueryString.nonNegativeInteger(portBytes), (1...65_535).contains(port) else {
            throw TrackerFailure("invalid port")
        }
        let uploaded = try counter("uploaded", in: query)
        let downloaded = try counter("downloaded", in: query)
        let left = try counter("left", in: query)

        let event: AnnounceEvent
        switch try query.single("event").map({ String(decoding: $0, as: UTF8.self) }) {
        case nil, "", "empty": event = .update
        case "started": event = .started
        case "completed": event = .completed
        case "stopped": event = .stopped
        default: throw TrackerFailure("invalid event")
        }

        var numwant: Int?
        if let raw = try query.single("numwant") {
            guard let value = QueryString.nonNegativeInteger(raw) else { throw TrackerFailure("invalid numwant") }
            numwant = Int(clamping: value)
        }
        let compact = try flag("compact", in: query, default: true)
        let noPeerID = try flag("no_peer_id", in: query, default: false)
        let key = try query.single("key").map { String(decoding: $0, as: UTF8.self) }

        var address = remote
        if acceptsClaimedAddress, remote.isLoopback, let ip = try query.single("ip") {
            guard let text = String(validating: ip, as: UTF8.self), let given = PeerAddress(text) else {
                throw TrackerFailure("invalid ip")
            }
            address = given
        }
        return AnnounceRequest(
            infoHash: infoHash, peerID: peerID, transport: .tcp(PeerEndpoint(address: address, port: UInt16(port))),
            uploaded: uploaded, downloaded: downloaded, left: left, event: event, numwant: numwant, compact: compact,
            noPeerID: noPeerID, key: key)
    }

    private static func counter(_ name: String, in query: QueryString) throws(TrackerFailure) -> Int64 {
        guard let raw = try query.single(name) else { throw .missing(name) }
        guard let value = QueryString.nonNegativeInteger(raw) else {
            throw TrackerFailure("\(name) must be a non-negative integer")
        }
        return value
    }

    private static func flag(_ name: String, in query: QueryString, default: Bool) throws(TrackerFailure) -> Bool {
        switch try query.single(name).map({ String(decoding: $0, as: UTF8.self) }) {
        case nil: `default`
        case "1": true
        case "0": false
        default: throw TrackerFailure("invalid \(name)")
        }
    }

    /// The bencoded success answer. Compact (BEP 23): IPv4 peers as 6-byte entries in `peers`, IPv6 peers as
    /// 18-byte entries in `peers6` (BEP 7). Otherwise `peers` is a list of `{peer id, ip, port}` dictionaries
    /// (`peer id` left out when `no_peer_id=1`).
    public static func response(
        _ result: AnnounceResult, for request: AnnounceRequest, limits: TrackerLimits = TrackerLimits()
    ) -> [UInt8] {
        var pairs: [(String, Bencode)] = [
            ("interval", .integer(Int64(limits.announceInterval.rounded()))),
            ("min interval", .integer(Int64(limits.minAnnounceInterval.rounded()))),
            ("complete", .integer(Int64(result.complete))),
            ("incomplete", .integer(Int64(result.incomplete))),
        ]
        let endpoints = result.peers.compactMap { peer in peer.endpoint.map { (peer.id, $0) } }
        if request.compact {
            var peers: [UInt8] = []
            var peers6: [UInt8] = []
            for (_, endpoint) in endpoints {
                if endpoint.address.isIPv4 { peers += endpoint.compact } else { peers6 += endpoint.compact }
            }
            pairs.append(("peers", .bytes(peers)))
            if !peers6.isEmpty { pairs.append(("peers6", .bytes(peers6))) }
        } else {
            let list = endpoints.map { id, endpoint in
                var entry: [(String, Bencode)] = [
                    ("ip", .string(endpoint.address.description)), ("port", .integer(Int64(endpoint.port))),
                ]
                if !request.noPeerID { entry.append(("peer id", .bytes(id.bytes))) }
                return Bencode.dict(entry)
            }
            pairs.append(("peers", .list(list)))
        }
        return Bencode.dict(pairs).encoded()
    }

    /// `{"failure reason": …}` (BEP 3), to send with HTTP 200.
    public static func failure(_ failure: TrackerFailure) -> [UInt8] {
        Bencode.dict([("failure reason", .string(failure.reason))]).encoded()
    }
}

extension Swarms {
    /// The whole HTTP announce: parses `query`, announces, and returns the bencoded body, a success or a failure
    /// dictionary (send either with status 200 and `Content-Type: text/plain`).
    public mutating func httpAnnounce(
        query: some StringProtocol, remote: PeerAddress, now: Double, acceptsClaimedAddress: Bool = false
    ) -> [UInt8] {
        do {
            let request = try HTTPAnnounce.parse(
                query: query, remote: remote, limits: limits, acceptsClaimedAddress: acceptsClaimedAddress)
            let result = try announce(request, now: now)
            return HTTPAnnounce.response(result, for: request, limits: limits)
        } catch {
            return HTTPAnnounce.failure(error)
        }
    }
}
