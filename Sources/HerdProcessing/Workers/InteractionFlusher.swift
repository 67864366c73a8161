import Foundation
import HerdCore
import Logging
import ServiceLifecycle

/// Every `interval` (and at shutdown): writes the views gathered in memory in one transaction, sends each remote
/// video's origin one `View` with the count of new views, and sends one `Update` per local video whose views or
/// ratings changed to the instances that follow it. A popular video costs one write and one message per interval,
/// not one per view (issue 5: views are aggregated and sent in batches).
public struct InteractionFlusher: Service {
    let stores: Stores
    let interactions: InteractionTracker
    let federation: VideoFederation
    let events: ContentEvents
    let logger: Logger
    var interval: Duration = .seconds(10)

    public init(
        stores: Stores, interactions: InteractionTracker, federation: VideoFederation, events: ContentEvents,
        logger: Logger
    ) {
        self.stores = stores
        self.interactions = interactions
        self.federation = federation
        self.events = events
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                await flushLogged()
            }
        }
        await flushLogged()  // what was gathered since the last flush is not lost at shutdown
    }

    func flushLogged() async {
        do {
            try await flush()
        } catch {
            logger.warning("flushing views and ratings failed", metadata: ["error": "\(error)"])
        }
    }

    public func flush() async throws {
        let (views, touched) = await interactions.drain()
        guard !views.isEmpty || !touched.isEmpty else { return }
        try await stores.interactions.addViews(views)
        events.publish(.viewCounts)
        for videoId in Set(views.keys).union(touched) {
            guard let video = try await stores.videos.find(.id(videoId)) else { continue }
            if video.video.isLocal {
                try await federation.updated(video, before: video.video)
            } else if let count = views[videoId] {
                try await federation.viewed(video, count: count)
            }
        }
    }
}
