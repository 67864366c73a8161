/// Media in S3-compatible object storage (`object_storage.*`, PeerTube's shape; issue 18).
public struct ObjectStorageSettings: Sendable, Equatable {
    /// One kind's place: a bucket, a prefix in it, and the public URL its public objects are fetched from.
    public struct Place: Sendable, Equatable {
        public var bucket: String
        public var prefix: String
        /// `https://cdn.example` (a CDN or the bucket's public address); empty: the bucket's URL at the endpoint.
        public var baseURL: String

        public init(bucket: String, prefix: String = "", baseURL: String = "") {
            self.bucket = bucket
            self.prefix = prefix
            self.baseURL = baseURL
        }
    }

    public var enabled: Bool
    /// `https://s3.example.com` (the scheme may be left out: https).
    public var endpoint: String
    public var region: String
    public var accessKeyID: String
    public var secretAccessKey: String
    /// `https://endpoint/bucket/key` rather than `https://bucket.endpoint/key`.
    public var forcePathStyle: Bool
    /// Files above this go up as multipart uploads in parts of this size.
    public var maxUploadPart: Int64
    /// Private files come through Herd (true, PeerTube's default), or Herd checks the viewer and redirects to a
    /// presigned URL of the bucket valid `privateLinkLifetime` seconds (false).
    public var proxifyPrivateFiles: Bool
    public var webVideos: Place
    public var streamingPlaylists: Place
    public var originalVideoFiles: Place

    public init(
        enabled: Bool = false, endpoint: String = "", region: String = "us-east-1", accessKeyID: String = "",
        secretAccessKey: String = "", forcePathStyle: Bool = false, maxUploadPart: Int64 = 100 << 20,
        proxifyPrivateFiles: Bool = true,
        webVideos: Place = Place(bucket: "web-videos"),
        streamingPlaylists: Place = Place(bucket: "streaming-playlists"),
        originalVideoFiles: Place = Place(bucket: "original-video-files")
    ) {
        self.enabled = enabled
        self.endpoint = endpoint
        self.region = region
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.forcePathStyle = forcePathStyle
        self.maxUploadPart = maxUploadPart
        self.proxifyPrivateFiles = proxifyPrivateFiles
        self.webVideos = webVideos
        self.streamingPlaylists = streamingPlaylists
        self.originalVideoFiles = originalVideoFiles
    }

    /// How long a presigned link to a private file stays valid: long enough for a player to follow the redirect
    /// and resume a broken transfer; each request to Herd gets a new one.
    public static let privateLinkLifetime = 300

    /// The endpoint with its scheme.
    public var endpointURL: String {
        endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://") ? endpoint : "https://" + endpoint
    }
}
