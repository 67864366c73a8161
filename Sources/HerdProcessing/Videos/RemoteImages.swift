import Foundation
import HerdCore
import HerdFederation

/// A remote video's thumbnail and preview, fetched from its origin the first time they are asked for and kept in
/// the media store (PeerTube's `/lazy-static/`): clients of this instance never have to reach the origin for them.
public final class RemoteImages: Sendable {
    static let maxBytes = 4 * 1024 * 1024

    let stores: Stores
    let media: any MediaStore
    let remote: RemoteDocuments

    public init(stores: Stores, media: any MediaStore, remote: RemoteDocuments) {
        self.stores = stores
        self.media = media
        self.remote = remote
    }

    /// Fetches `<uuid>.jpg` (a `.thumbnails` or `.previews` key) of a remote video; false when there is nothing to
    /// fetch or it fails.
    public func fetch(_ name: String, kind: MediaKind) async -> Bool {
        guard kind == .thumbnails || kind == .previews, name.hasSuffix(".jpg"),
            let uuid = UUID(uuidString: String(name.dropLast(4))), let transport = remote.transport,
            let source = try? await stores.videos.find(.uuid(uuid))?.video.remote,
            let url = kind == .thumbnails ? source.thumbnailURL : source.previewURL,
            let bytes = try? await transport.fetchMedia(url, maxBytes: Self.maxBytes),
            bytes.starts(with: [0xFF, 0xD8, 0xFF])  // JPEG only: nothing else is served under a .jpg name
        else { return false }
        // Written off the event loops, as every other file this server touches while answering.
        return (try? await media.write(kind, uuid.lowercasedString + ".jpg", bytes: bytes)) != nil
    }
}
