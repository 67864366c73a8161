import CoreMetrics
import HerdCore
import HerdMediaStore
import HerdObjectStorage

/// The media store the settings ask for: `storage.dir` alone, or object storage for the kinds PeerTube keeps there
/// (web videos, HLS playlists, originals) with the rest on the local disk (issue 18).
enum MediaStorage {
    static func open(_ settings: Settings, layout: StorageLayout, metrics: any MetricsFactory) -> any MediaStore {
        let local = LocalMediaStore(layout: layout)
        return settings.objectStorage.enabled
            ? ObjectMediaStore(settings: settings.objectStorage, local: local, metrics: metrics) : local
    }
}
