import HerdCore
import HerdFederation

/// Catching up with an instance just followed: its instance actor's outbox is read page by page (signed fetches)
/// and every video in it stored, as a `Create` would have. Run as a job (`activitypub-outbox-backfill`).
public final class OutboxBackfill: Sendable {
    static let maxPages = 100
    static let maxItemsPerPage = 100

    let remote: RemoteDocuments
    let videos: RemoteVideos

    public init(remote: RemoteDocuments, videos: RemoteVideos) {
        self.remote = remote
        self.videos = videos
    }

    /// Reads `outbox` and stores its videos; returns how many it stored. Videos that fail are skipped.
    @discardableResult
    public func run(outbox: String) async throws -> Int {
        guard remote.enabled, let host = URLParts(outbox)?.authority else { return 0 }
        let collection = try await remote.signedFetch(outbox)
        var next: JSONValue? = collection["first"]
        var stored = 0
        for _ in 0..<Self.maxPages {
            guard let reference = next else { break }
            let page: JSONValue
            if reference.object != nil, reference["orderedItems"] != nil {
                page = reference
            } else if let url = reference.id, URLParts(url)?.authority == host {
                page = try await remote.signedFetch(url)
            } else {
                break
            }
            // Pages hold 10 items here and in PeerTube; a page of thousands (each a fetch) is read in part.
            for item in (page["orderedItems"]?.list ?? page["items"]?.list ?? []).prefix(Self.maxItemsPerPage) {
                guard let type = item.type, type == "Announce" || type == "Create", let object = item["object"] else {
                    continue
                }
                do {
                    if object.type == "Video" {
                        if try await videos.save(object, origin: host) != nil { stored += 1 }
                    } else if let url = object.id, try await videos.fetchAndSave(url, vouchedBy: host) != nil {
                        stored += 1
                    }
                } catch {
                    continue  // one unusable video does not stop the rest
                }
            }
            next = page["next"]
        }
        return stored
    }
}
