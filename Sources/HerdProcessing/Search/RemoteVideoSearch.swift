import Foundation
import HerdCore

/// PeerTube's remote URI search: the video at a URL, known already, fetched now from its instance (for users
/// only), or a local video's watch URL (`/videos/watch/<uuid>` or `/w/<id>`) — when the viewer may list it.
public final class RemoteVideoSearch: Sendable {
    let stores: Stores
    let remoteVideos: RemoteVideos
    let baseURL: String

    public init(stores: Stores, remoteVideos: RemoteVideos, baseURL: String) {
        self.stores = stores
        self.remoteVideos = remoteVideos
        self.baseURL = baseURL
    }

    public func find(url: String, viewer: Viewer) async throws -> VideoWithOwner? {
        var found = try await stores.videos.find(url: url)
        // This instance's own addresses are never fetched.
        if found == nil, let local = Self.localVideo(url, baseURL: baseURL) {
            found = try await stores.videos.find(local)
        } else if found == nil, viewer.user != nil {
            found = try? await remoteVideos.fetchAndSave(url, vouchedBy: nil)
        }
        guard let found, VideoVisibility.canView(found.video, ownerUserId: found.account.userId, viewer: viewer),
            found.video.privacy == .public || viewer.user?.role.isStaff == true
        else { return nil }
        return found
    }

    /// A local video's watch URL (`/videos/watch/<uuid>` or `/w/<id>`) as a reference.
    static func localVideo(_ url: String, baseURL: String) -> VideoReference? {
        for prefix in ["/videos/watch/", "/w/"] where url.hasPrefix(baseURL + prefix) {
            return VideoReference(String(url.dropFirst(baseURL.count + prefix.count)))
        }
        return nil
    }
}
