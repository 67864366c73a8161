import Foundation
import HerdCore

/// The peer-to-peer side (torrents, tracker, seeder) as the API sees it, handed in by the composition root.
public protocol PeerDelivery: Sendable {
    /// Starts tracking and seeding the torrents of a published video's files.
    func publish(videoUUID: UUID, files: [VideoFile]) async
    /// Stops tracking and seeding them: the video is being deleted.
    func withdraw(videoUUID: UUID, files: [VideoFile]) async
}

/// Used when `p2p.enabled` is off: no torrents are tracked or seeded.
public struct PeerDeliveryDisabled: PeerDelivery {
    public init() {}
    public func publish(videoUUID: UUID, files: [VideoFile]) async {}
    public func withdraw(videoUUID: UUID, files: [VideoFile]) async {}
}
