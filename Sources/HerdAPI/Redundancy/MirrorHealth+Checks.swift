import Foundation
import HerdCore
import HerdFederation
import HerdProcessing
import Logging

extension MirrorHealth {
    /// One round of health checks (issue 6): a `HEAD` of each known mirror's copy of the master playlist, with
    /// `redundancy.health_check.timeout`. A mirror that stops answering is left out of what the video advertises
    /// (API, torrents, magnets) until it answers again; the change is logged.
    public static func checkAll(services: APIServices, logger: Logger) async {
        guard let fetcher = services.fetcher,
            let mirrors = try? await services.stores.mirrors.all(now: services.clock.now())
        else { return }
        services.mirrorHealth.retain(Set(mirrors.map(\.baseURL)))
        let timeout = services.settings.redundancy.healthCheckTimeout
        for (videoId, entries) in Dictionary(grouping: mirrors, by: \.videoId) {
            guard let video = try? await services.stores.videos.find(.id(videoId))?.video else { continue }
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
                        (mirror.baseURL, await fetcher.probe(mirror.baseURL + "/" + master, timeout: timeout))
                    }
                }
                for await (baseURL, answered) in group
                where services.mirrorHealth.record(baseURL, answered: answered) {
                    changed = true
                    if answered {
                        logger.notice("a mirror answers again", metadata: ["mirror": "\(baseURL)"])
                    } else {
                        logger.warning(
                            "a mirror stopped answering; no longer advertised", metadata: ["mirror": "\(baseURL)"])
                    }
                }
            }
            if changed { try? await RemoteMirrors.advertise(video, services: services, logger: logger) }
        }
    }
}
