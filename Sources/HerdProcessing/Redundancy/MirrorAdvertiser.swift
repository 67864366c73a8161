import Foundation
import HerdCore
import Logging

/// What a video advertises follows its current, answering mirrors (issue 6): a local video's torrents get their
/// copies as web seeds (through `PeerDelivery`), a remote one's kept torrents likewise (`RemoteTorrents`), and lists
/// and pages show them (a `ContentChanged`).
public final class MirrorAdvertiser: Sendable {
    let stores: Stores
    let health: MirrorHealth
    let peers: any PeerDelivery
    let remoteTorrents: RemoteTorrents
    let events: ContentEvents
    let clock: any WallClock

    public init(
        stores: Stores, health: MirrorHealth, peers: any PeerDelivery, remoteTorrents: RemoteTorrents,
        events: ContentEvents, clock: any WallClock
    ) {
        self.stores = stores
        self.health = health
        self.peers = peers
        self.remoteTorrents = remoteTorrents
        self.events = events
        self.clock = clock
    }

    public func advertise(_ video: Video) async throws {
        events.publish(.video(id: video.id))
        let mirrors = health.filter(
            try await stores.mirrors.list(videoId: video.id, now: clock.now()).map(\.baseURL))
        if video.isLocal {
            let files = try await stores.videoFiles.list(videoId: video.id)
            await peers.mirrorsChanged(videoUUID: video.uuid, files: files, mirrors: mirrors)
        } else {
            await remoteTorrents.refresh(video, mirrors: mirrors)
        }
    }
}
