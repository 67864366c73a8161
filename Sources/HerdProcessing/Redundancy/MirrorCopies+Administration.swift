import Foundation
import HerdCore
import HerdFederation

/// What administrators see and do of mirroring (PeerTube's redundancy API), and the `CacheFile` other instances
/// fetch to check a copy forwarded to them.
extension MirrorCopies {
    /// Mirrors one remote video by hand.
    public func requestByHand(_ reference: VideoReference) async throws {
        guard let video = try await stores.videos.find(reference)?.video else {
            throw HerdError.notFound("video not found")
        }
        try await request(videoId: video.id, strategy: .manual)
    }

    /// This instance's copies of remote videos, with their videos.
    public func held() async throws -> [(copy: MirrorCopy, video: VideoWithOwner)] {
        var held: [(MirrorCopy, VideoWithOwner)] = []
        for copy in try await stores.copies.list() {
            if let item = try await stores.videos.find(.id(copy.videoId)) { held.append((copy, item)) }
        }
        return held
    }

    /// Local videos other instances mirror, with their mirrors, by video id.
    public func mirrorsOfLocalVideos() async throws -> [(video: VideoWithOwner, mirrors: [VideoMirror])] {
        let mirrors = try await stores.mirrors.all(now: clock.now())
        var listed: [(VideoWithOwner, [VideoMirror])] = []
        for (videoId, entries) in Dictionary(grouping: mirrors, by: \.videoId).sorted(by: { $0.key < $1.key }) {
            guard let item = try await stores.videos.find(.id(videoId)), item.video.isLocal else { continue }
            listed.append((item, entries))
        }
        return listed
    }

    /// Drops a copy by an administrator's decision.
    public func remove(id: Int64) async throws {
        guard let copy = try await stores.copies.find(id: id) else { throw HerdError.notFound("redundancy not found") }
        try await remove(copy, reason: "removed by an administrator")
    }

    /// The ready copy's `CacheFile` as an ActivityPub document.
    public func cacheFileDocument(videoUUID uuid: UUID) async throws -> JSONValue {
        guard let item = try await stores.videos.find(.uuid(uuid)),
            let copy = try await stores.copies.find(videoId: item.video.id), copy.state == .ready,
            let cache = cacheFile(copy, video: item.video)
        else { throw HerdError.notFound("no copy of this video here") }
        var object = cache.json(formatDate: isoDate)
        if case .object(var fields) = object {
            fields["@context"] = ActivityContext.base
            object = .object(fields)
        }
        return object
    }
}
