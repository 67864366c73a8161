import CoreMetrics
import HerdCore
import HerdS3

extension ObjectMediaStore {
    /// The store `object_storage.*` describes (issue 18): web videos, HLS playlists and originals in their buckets,
    /// the other kinds (thumbnails, torrents, copies, as PeerTube keeps them) in `local`.
    public init(
        settings storage: ObjectStorageSettings, local: any MediaStore,
        metrics: any MetricsFactory = NOOPMetricsHandler.instance
    ) {
        let client = S3Client(
            endpoint: S3Endpoint(
                url: storage.endpointURL, region: storage.region,
                credentials: .init(accessKeyId: storage.accessKeyID, secretAccessKey: storage.secretAccessKey),
                forcePathStyle: storage.forcePathStyle),
            partSize: Int(clamping: storage.maxUploadPart), metrics: metrics)
        self.init(
            client: client, places: Self.places(storage, bucketURL: client.bucketURL), local: local,
            privateLinkLifetime: storage.proxifyPrivateFiles ? nil : ObjectStorageSettings.privateLinkLifetime)
    }

    /// Each kind's bucket and prefix; the files of private videos under `<prefix>private/`, served only through Herd.
    static func places(_ storage: ObjectStorageSettings, bucketURL: (String) -> String) -> [MediaKind: Place] {
        func place(_ place: ObjectStorageSettings.Place, isPrivate: Bool) -> Place {
            Place(
                bucket: place.bucket, prefix: place.prefix + (isPrivate ? "private/" : ""),
                publicBase: isPrivate ? nil : place.baseURL.isEmpty ? bucketURL(place.bucket) : place.baseURL)
        }
        return [
            .webVideos: place(storage.webVideos, isPrivate: false),
            .privateWebVideos: place(storage.webVideos, isPrivate: true),
            .hls: place(storage.streamingPlaylists, isPrivate: false),
            .privateHLS: place(storage.streamingPlaylists, isPrivate: true),
            // Originals are read only by the transcoder: never public, and no `private/` of their own.
            .originals: Place(bucket: storage.originalVideoFiles.bucket, prefix: storage.originalVideoFiles.prefix),
        ]
    }
}
