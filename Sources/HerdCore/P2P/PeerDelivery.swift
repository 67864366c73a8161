import Foundation

/// The peer-to-peer side (torrents, tracker, seeder) as the rest of Herd sees it; `HerdApp`'s `PeerHub` implements it.
public protocol PeerDelivery: Sendable {
    /// Hashes a newly transcoded video's files into torrents (BEP 3), reading each at `localPath(file)` (the
    /// transcoder's output, before it goes to the media store), and records their info-hashes; returns the files
    /// updated.
    func makeTorrents(video: Video, files: [VideoFile], localPath: @Sendable (VideoFile) -> String) async throws
        -> [VideoFile]
    /// Starts tracking and seeding the torrents of a published video's files.
    func publish(videoUUID: UUID, files: [VideoFile]) async
    /// Stops tracking and seeding them: the video is being deleted.
    func withdraw(videoUUID: UUID, files: [VideoFile]) async
    /// Whether the seeder already serves the file at `path` to a BitTorrent client at `address`, so its web-seed
    /// requests can be sent back to the swarm (503 with Retry-After, BEP 19).
    func seederServes(path: String, to address: String) -> Bool
    /// The video's mirrors changed (issue 6): its torrents are rewritten with web seeds at `mirrors`, the base URLs
    /// of their copies of the HLS playlist directory (BEP 19).
    func mirrorsChanged(videoUUID: UUID, files: [VideoFile], mirrors: [String]) async
    /// Seeds this instance's verified copy of a remote video (issue 6): tracked here, and the seeder announced to
    /// this tracker and to the origin's HTTP trackers (`originTrackers`), so the origin's tracker hands it out.
    func seedCopy(videoUUID: UUID, torrents: [CopiedTorrent], originTrackers: [String]) async
    /// Stops seeding the copy (dropped, expired, deleted at the origin, or found damaged).
    func withdrawCopy(videoUUID: UUID) async
}

/// One verified file of a mirror's copy and its torrent's figures.
public struct CopiedTorrent: Sendable, Equatable {
    public var path: String
    public var infoHash: String
    public var length: Int64
    public var pieceLength: Int

    public init(path: String, infoHash: String, length: Int64, pieceLength: Int) {
        self.path = path
        self.infoHash = infoHash
        self.length = length
        self.pieceLength = pieceLength
    }
}

/// Used when `p2p.enabled` is off: no torrents are tracked or seeded.
public struct PeerDeliveryDisabled: PeerDelivery {
    public init() {}
    public func makeTorrents(video: Video, files: [VideoFile], localPath: @Sendable (VideoFile) -> String)
        async throws -> [VideoFile]
    { files }
    public func publish(videoUUID: UUID, files: [VideoFile]) async {}
    public func withdraw(videoUUID: UUID, files: [VideoFile]) async {}
    public func seederServes(path: String, to address: String) -> Bool { false }
    public func mirrorsChanged(videoUUID: UUID, files: [VideoFile], mirrors: [String]) async {}
    public func seedCopy(videoUUID: UUID, torrents: [CopiedTorrent], originTrackers: [String]) async {}
    public func withdrawCopy(videoUUID: UUID) async {}
}
