import Foundation
import HerdCore

/// The peer-to-peer side (torrents, tracker, seeder) as the API sees it, handed in by the composition root.
public protocol PeerDelivery: Sendable {
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
}

/// Used when `p2p.enabled` is off: no torrents are tracked or seeded.
public struct PeerDeliveryDisabled: PeerDelivery {
    public init() {}
    public func publish(videoUUID: UUID, files: [VideoFile]) async {}
    public func withdraw(videoUUID: UUID, files: [VideoFile]) async {}
    public func seederServes(path: String, to address: String) -> Bool { false }
    public func mirrorsChanged(videoUUID: UUID, files: [VideoFile], mirrors: [String]) async {}
}
