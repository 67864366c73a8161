/// `object_storage.*` (issue 18): the buckets, their prefixes and public URLs, checked when enabled.
extension SettingsSchema {
    static func objectStorage(_ reader: Reader) throws(ConfigError) -> ObjectStorageSettings {
        // Originals are never public: they have no base_url.
        func place(_ name: String, isPublic: Bool = true) throws(ConfigError) -> ObjectStorageSettings.Place {
            let place = ObjectStorageSettings.Place(
                bucket: try reader.string("object_storage.\(name).bucket_name"),
                prefix: try reader.string("object_storage.\(name).prefix"),
                baseURL: isPublic ? try reader.string("object_storage.\(name).base_url") : "")
            if !place.baseURL.isEmpty, !place.baseURL.hasPrefix("https://"), !place.baseURL.hasPrefix("http://") {
                throw ConfigError(key: "object_storage.\(name).base_url", problem: "expected an http(s) URL")
            }
            // S3 bucket names: 3 to 63 lowercase letters, digits, dots and hyphens.
            let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789.-")
            guard (3...63).contains(place.bucket.count), place.bucket.allSatisfy(allowed.contains) else {
                throw ConfigError(key: "object_storage.\(name).bucket_name", problem: "not an S3 bucket name")
            }
            return place
        }
        let settings = ObjectStorageSettings(
            enabled: try reader.boolean("object_storage.enabled"),
            endpoint: try reader.string("object_storage.endpoint"),
            region: try reader.string("object_storage.region"),
            accessKeyID: try reader.string("object_storage.credentials.access_key_id"),
            secretAccessKey: try reader.string("object_storage.credentials.secret_access_key"),
            forcePathStyle: try reader.boolean("object_storage.force_path_style"),
            maxUploadPart: try reader.bytes("object_storage.max_upload_part"),
            proxifyPrivateFiles: try reader.boolean("object_storage.proxy.proxify_private_files"),
            webVideos: try place("web_videos"), streamingPlaylists: try place("streaming_playlists"),
            originalVideoFiles: try place("original_video_files", isPublic: false))
        guard settings.enabled else { return settings }
        guard !settings.endpoint.isEmpty, !settings.endpoint.contains(where: \.isWhitespace) else {
            throw ConfigError(key: "object_storage.endpoint", problem: "object_storage.enabled needs an endpoint")
        }
        guard !settings.accessKeyID.isEmpty, !settings.secretAccessKey.isEmpty else {
            throw ConfigError(
                key: "object_storage.credentials",
                problem: "object_storage.enabled needs access_key_id and secret_access_key")
        }
        guard (5 << 20...5 << 30).contains(settings.maxUploadPart) else {
            throw ConfigError(key: "object_storage.max_upload_part", problem: "S3 parts are 5 MB to 5 GB")
        }
        return settings
    }
}
