import Foundation
import HerdCore
import HerdFederation
import Logging

/// One round of health checks (issue 6): a `HEAD` of each known mirror's copy of the master playlist, with
/// `redundancy.health_check.timeout`. A mirror that stops answering is left out of what the video advertises
/// (API, torrents, magnets) until it answers again; the change is logged.
public final class MirrorHealthChecks: Sendable {
    let stores: Stores
    let health: MirrorHealth
    let fetcher: RemoteDocuments
    let advertiser: MirrorAdvertiser
    let timeout: Int
    let clock: any WallClock
    let logger: Logger

    public init(
        stores: Stores, health: MirrorHealth, fetcher: RemoteDocuments, advertiser: MirrorAdvertiser, timeout: Int,
        clock: any WallClock, logger: Logger
    ) {
        self.stores = stores
        self.health = health
        self.fetcher = fetcher
        self.advertiser = advertiser
        self.timeout = timeout
        self.clock = clock
        self.logger = logger
    }

    public func checkAll() async {
        guard let transport = fetcher.transport, let mirrors = try? await stores.mirrors.all(now: clock.now())
        else { return }
        health.retain(Set(mirrors.map(\.baseURL)))
        let (health, timeout, logger) = (self.health, self.timeout, self.logger)
        for (videoId, entries) in Dictionary(grouping: mirrors, by: \.videoId) {
            guard let video = try? await stores.videos.find(.id(videoId))?.video else { continue }
            let master: String
            if let remote = video.remote {
                guard let playlist = remote.playlistURL, let name = try? VideoCopier.plainName(playlist) else {
                    continue
                }
                master = name
            } else {
                master = video.uuid.lowercasedString + "-master.m3u8"
            }
            var changed = false
            await withTaskGroup(of: (String, Bool).self) { group in
                for mirror in entries {
                    group.addTask {
                        (mirror.baseURL, await transport.probe(mirror.baseURL + "/" + master, timeout: timeout))
                    }
                }
                for await (baseURL, answered) in group where health.record(baseURL, answered: answered) {
                    changed = true
                    if answered {
                        logger.notice("a mirror answers again", metadata: ["mirror": "\(baseURL)"])
                    } else {
                        logger.warning(
                            "a mirror stopped answering; no longer advertised", metadata: ["mirror": "\(baseURL)"])
                    }
                }
            }
            if changed { try? await advertiser.advertise(video) }
        }
    }
}
