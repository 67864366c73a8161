import CoreMetrics
import HerdCore
import HerdMediaStore
import HerdObjectStorage
import HerdS3

/// The media store the settings ask for: `storage.dir` alone, or object storage for the kinds PeerTube keeps there
/// (web videos, HLS playlists, originals) with the rest on the local disk (issue 18).
enum MediaStorage {
    static func open(_ settings: Settings, layout: StorageLayout, metrics: any MetricsFactory) -> any MediaStore {
        let local = LocalMediaStore(layout: layout)
        return settings.objectStorage.enabled
            ? objectStore(settings.objectStorage, local: local, metrics: metrics) : local
    }

    static func objectStore(
        _ storage: ObjectStorageSettings, local: LocalMediaStore,
        metrics: any MetricsFactory = NOOPMetricsHandler.instance
    ) -> ObjectMediaStore {
        let client = S3Client(
            endpoint: S3Endpoint(
                url: storage.endpointURL, region: storage.region,
                credentials: .init(accessKeyId: storage.accessKeyID, secretAccessKey: storage.secretAccessKey),
                forcePathStyle: storage.forcePathStyle),
            partSize: Int(clamping: storage.maxUploadPart), metrics: metrics)
        return ObjectMediaStore(
            client: client, places: places(storage, bucketURL: client.bucketURL), local: local,
            privateLinkLifetime: storage.proxifyPrivateFiles ? nil : ObjectStorageSettings.privateLinkLifetime)
    }

    /// Each kind's bucket and prefix; the files of private videos under `<prefix>private/`, served only through Herd.
    static func places(_ storage: ObjectStorageSettings, bucketURL: (String) -> String)
        -> [MediaKind: ObjectMediaStore.Place]
    {
        func place(_ place: ObjectStorageSettings.Place, isPrivate: Bool) -> ObjectMediaStore.Place {
            ObjectMediaStore.Place(
                bucket: place.bucket, prefix: place.prefix + (isPrivate ? "private/" : ""),
                publicBase: isPrivate ? nil : place.baseURL.isEmpty ? bucketURL(place.bucket) : place.baseURL)
        }
        return [
            .webVideos: place(storage.webVideos, isPrivate: false),
            .privateWebVideos: place(storage.webVideos, isPrivate: true),
            .hls: place(storage.streamingPlaylists, isPrivate: false),
            .privateHLS: place(storage.streamingPlaylists, isPrivate: true),
            // Originals are read only by the transcoder: never public, and no `private/` of their own.
            .originals: ObjectMediaStore.Place(
                bucket: storage.originalVideoFiles.bucket, prefix: storage.originalVideoFiles.prefix),
        ]
    }
}
