/// The `event` of an announce (BEP 3). HTTP's empty or absent event and WebTorrent's `"update"` are `.update`.
public enum AnnounceEvent: String, Hashable, Sendable {
    case started
    case completed
    case stopped
    case update
}

/// One announce, from either protocol, once parsed and validated.
public struct AnnounceRequest: Hashable, Sendable {
    public var infoHash: InfoHash
    public var peerID: PeerID
    public var transport: PeerTransport
    public var uploaded: Int64
    public var downloaded: Int64
    public var left: Int64?
    public var event: AnnounceEvent
    /// As asked; the swarm clamps it (`TrackerLimits.numwant`).
    public var numwant: Int?
    /// HTTP only: compact peer lists (BEP 23). Defaults to true.
    public var compact: Bool
    /// HTTP only: leave `peer id` out of non-compact peer dictionaries.
    public var noPeerID: Bool
    /// HTTP only: the client's `key`.
    public var key: String?

    public init(
        infoHash: InfoHash, peerID: PeerID, transport: PeerTransport, uploaded: Int64 = 0, downloaded: Int64 = 0,
        left: Int64?, event: AnnounceEvent = .update, numwant: Int? = nil, compact: Bool = true,
        noPeerID: Bool = false, key: String? = nil
    ) {
        self.infoHash = infoHash
        self.peerID = peerID
        self.transport = transport
        self.uploaded = uploaded
        self.downloaded = downloaded
        self.left = left
        self.event = event
        self.numwant = numwant
        self.compact = compact
        self.noPeerID = noPeerID
        self.key = key
    }
}

/// What a swarm answers to an announce.
public struct AnnounceResult: Hashable, Sendable {
    /// Seeders and leechers in the swarm, both transports, after this announce.
    public var complete: Int
    public var incomplete: Int
    /// Other peers of the asker's transport: never the asker (by id or endpoint), never seeders when the asker
    /// seeds, at most the clamped `numwant`.
    public var peers: [Peer]
    /// Whether the announce was recorded: false for `stopped`, when a limit was reached, or when a TCP announce
    /// came from another address than the recorded one without the matching `key`.
    public var recorded: Bool
}

/// Scrape numbers for one swarm (BEP 48).
public struct ScrapeStats: Hashable, Sendable {
    public var complete: Int
    public var incomplete: Int
    /// Completed downloads seen (`completed` events), since the hash was registered.
    public var downloaded: Int

    public init(complete: Int, incomplete: Int, downloaded: Int) {
        self.complete = complete
        self.incomplete = incomplete
        self.downloaded = downloaded
    }
}
