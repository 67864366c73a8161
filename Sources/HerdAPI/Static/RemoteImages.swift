import Foundation
import HerdCore
import HerdFederation
import HerdProcessing

/// A remote video's thumbnail and preview, fetched from its origin the first time they are asked for and kept
/// under `storage.dir` (PeerTube's `/lazy-static/`): clients of this instance never have to reach the origin for them.
struct RemoteImages: Sendable {
    enum Kind {
        case thumbnail, preview

        init?(mountPrefix: String) {
            switch mountPrefix {
            case "/lazy-static/thumbnails/": self = .thumbnail
            case "/lazy-static/previews/": self = .preview
            default: return nil
            }
        }
    }

    let services: APIServices
    static let maxBytes = 4 * 1024 * 1024

    /// Fetches `<uuid>.jpg` of a remote video into `directory`; false when there is nothing to fetch or it fails.
    func fetch(_ name: String, kind: Kind, into directory: String) async -> Bool {
        guard name.hasSuffix(".jpg"), let uuid = UUID(uuidString: String(name.dropLast(4))),
            let fetcher = services.processing.remote.transport,
            let remote = try? await services.stores.videos.find(.uuid(uuid))?.video.remote,
            let url = kind == .thumbnail ? remote.thumbnailURL : remote.previewURL,
            let bytes = try? await fetcher.fetchMedia(url, maxBytes: Self.maxBytes),
            bytes.starts(with: [0xFF, 0xD8, 0xFF])  // JPEG only: nothing else is served under a .jpg name
        else { return false }
        let path = directory + "/" + uuid.lowercasedString + ".jpg"
        // Written off the event loops, as every other file this server touches while answering.
        return await Task.detached {
            (try? Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)) != nil
        }.value
    }
}
