import Foundation
import HerdCore
import HerdS3
import NIOCore

/// `MediaStore` in S3-compatible object storage (issue 18): each kind it holds lives in a bucket under a prefix
/// (PeerTube's `object_storage.<kind>.{bucket_name,prefix}`); a folder key (an HLS playlist's `<uuid>/`) is the
/// objects under `key/`. Kinds without a place (thumbnails, torrents, copies, as PeerTube keeps them) stay in
/// `local`.
public struct ObjectMediaStore: MediaStore {
    /// Where a kind's objects live.
    public struct Place: Sendable, Equatable {
        public var bucket: String
        /// Prepended to every key (`hls/`, `private/`, or empty).
        public var prefix: String
        /// Where anyone fetches the kind's objects (`base_url`, a CDN, or the bucket's URL), followed by prefix and
        /// key; nil for kinds served only through Herd (private files, originals).
        public var publicBase: String?

        public init(bucket: String, prefix: String, publicBase: String? = nil) {
            self.bucket = bucket
            self.prefix = prefix
            self.publicBase = publicBase
        }
    }

    let client: S3Client
    public let places: [MediaKind: Place]
    let local: any MediaStore
    /// Seconds a presigned link to a file served through Herd stays valid; nil: such files are streamed by Herd
    /// (`object_storage.proxy.proxify_private_files`).
    let privateLinkLifetime: Int?

    public init(client: S3Client, places: [MediaKind: Place], local: any MediaStore, privateLinkLifetime: Int? = nil) {
        self.client = client
        self.places = places
        self.local = local
        self.privateLinkLifetime = privateLinkLifetime
    }

    /// The object key of `key` in `kind`, checked like a local path (no `..`, not absolute, not empty).
    func objectKey(_ place: Place, _ key: String) throws -> String {
        guard !key.isEmpty, !key.hasPrefix("/"), !key.split(separator: "/").contains(where: { $0 == ".." || $0 == "." })
        else { throw HerdError.internalError("unusable media key \(key)") }
        return place.prefix + key
    }

    public func put(_ kind: MediaKind, _ key: String, movingFrom localPath: String) async throws {
        guard let place = places[kind] else { return try await local.put(kind, key, movingFrom: localPath) }
        let target = try objectKey(place, key)
        // The folder's files (relative paths), or nil for a single file; looked up off the event loops.
        let files = try await MediaThread.run { () throws -> [String]? in
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: localPath, isDirectory: &isDirectory) else {
                throw HerdError.internalError("nothing to store at \(localPath)")
            }
            guard isDirectory.boolValue else { return nil }
            let names = FileManager.default.enumerator(atPath: localPath)?.allObjects as? [String] ?? []
            return names.sorted().filter { name in
                var isFolder: ObjCBool = false
                return FileManager.default.fileExists(atPath: localPath + "/" + name, isDirectory: &isFolder)
                    && !isFolder.boolValue
            }
        }
        // What was there goes first: a folder's old files must not outlive the new set.
        try await delete(kind, key)
        if let files {
            for file in files {
                try await client.putFile(
                    place.bucket, target + "/" + file, path: localPath + "/" + file, contentType: Self.type(of: file))
            }
        } else {
            try await client.putFile(place.bucket, target, path: localPath, contentType: Self.type(of: key))
        }
        try await MediaThread.run { try FileManager.default.removeItem(atPath: localPath) }
    }

    public func write(_ kind: MediaKind, _ key: String, bytes: [UInt8]) async throws {
        guard let place = places[kind] else { return try await local.write(kind, key, bytes: bytes) }
        try await client.put(place.bucket, try objectKey(place, key), bytes: bytes, contentType: Self.type(of: key))
    }

    public func read(_ kind: MediaKind, _ key: String, maxBytes: Int) async throws -> [UInt8]? {
        guard let place = places[kind] else { return try await local.read(kind, key, maxBytes: maxBytes) }
        do {
            return try await client.get(place.bucket, try objectKey(place, key), maxBytes: maxBytes)
        } catch let failure as S3Failure where failure.code == "TooLarge" {
            return nil
        }
    }

    public func exists(_ kind: MediaKind, _ key: String) async -> Bool {
        guard let place = places[kind] else { return await local.exists(kind, key) }
        guard let objectKey = try? objectKey(place, key) else { return false }
        if (try? await client.size(place.bucket, objectKey)) ?? nil != nil { return true }
        return !((try? await client.list(place.bucket, prefix: objectKey + "/").keys) ?? []).isEmpty
    }

    public func delete(_ kind: MediaKind, _ key: String) async throws {
        guard let place = places[kind] else { return try await local.delete(kind, key) }
        let objectKey = try objectKey(place, key)
        try await client.delete(place.bucket, objectKey)
        let inside = try await client.list(place.bucket, prefix: objectKey + "/").keys
        for object in inside { try await client.delete(place.bucket, object) }
        if !inside.isEmpty { try await removeEmptyFolder(place.bucket, objectKey) }
    }

    /// Servers that keep real directories (SeaweedFS) list an emptied folder as a common prefix until a cleanup
    /// round (seaweedfs#9810), so `keys` would name a deleted video; deleting `folder/` removes it at once. S3
    /// itself has no folders and answers 204; a folder that still holds objects stays.
    func removeEmptyFolder(_ bucket: String, _ objectKey: String) async throws {
        try await client.delete(bucket, objectKey + "/")
    }

    @discardableResult
    public func deleteAll(_ kind: MediaKind, prefix: String) async throws -> [String] {
        guard let place = places[kind] else { return try await local.deleteAll(kind, prefix: prefix) }
        guard !prefix.isEmpty else { throw HerdError.internalError("deleting a whole media kind") }
        let matching = try await client.list(place.bucket, prefix: try objectKey(place, prefix)).keys
        var removed: Set<String> = []
        var folders: Set<String> = []
        for objectKey in matching {
            try await client.delete(place.bucket, objectKey)
            let key = objectKey.dropFirst(place.prefix.count)
            let top = key.split(separator: "/", maxSplits: 1)
            removed.insert(String(top.first ?? key))
            if top.count > 1 { folders.insert(place.prefix + top[0]) }
        }
        for folder in folders.sorted() { try await removeEmptyFolder(place.bucket, folder) }
        return removed.sorted()
    }

    /// Copies every object on the server (S3 CopyObject), then deletes the originals.
    public func move(_ key: String, from source: MediaKind, to target: MediaKind) async throws {
        guard let from = places[source], let to = places[target] else {
            if places[source] == nil && places[target] == nil {
                return try await local.move(key, from: source, to: target)
            }
            throw HerdError.internalError("moving \(key) between local and object storage")
        }
        let (fromKey, toKey) = (try objectKey(from, key), try objectKey(to, key))
        guard fromKey != toKey || from.bucket != to.bucket else { return }
        try await delete(target, key)
        var objects = try await client.list(from.bucket, prefix: fromKey + "/").keys
        if try await client.size(from.bucket, fromKey) != nil { objects.append(fromKey) }
        for object in objects {
            try await client.copy(from: from.bucket, object, to: to.bucket, toKey + object.dropFirst(fromKey.count))
        }
        for object in objects { try await client.delete(from.bucket, object) }
        if objects.contains(where: { $0 != fromKey }) { try await removeEmptyFolder(from.bucket, fromKey) }
    }

    public func keys(_ kind: MediaKind) async throws -> [String] {
        try await keys(kind, prefix: "")
    }

    public func keys(_ kind: MediaKind, prefix: String) async throws -> [String] {
        guard let place = places[kind] else { return try await local.keys(kind, prefix: prefix) }
        let page = try await client.list(place.bucket, prefix: place.prefix + prefix, delimiter: "/")
        // Another kind's place nested in this one (`private/` beside the public files) is not one of its keys.
        let nested = Set(
            places.values.filter { $0.bucket == place.bucket && $0.prefix != place.prefix }.map(\.prefix))
        let folders = page.commonPrefixes.filter { !nested.contains($0) }.map {
            String($0.dropFirst(place.prefix.count).dropLast())
        }
        // The place's own folder, which SeaweedFS lists once it is empty, is no key either.
        return (page.keys.map { String($0.dropFirst(place.prefix.count)) } + folders).filter { !$0.isEmpty }
    }

    public func publicURL(_ kind: MediaKind, _ key: String) -> String? {
        guard let place = places[kind], let base = place.publicBase, let objectKey = try? objectKey(place, key) else {
            return nil
        }
        return (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/" + objectKey
    }

    public func temporaryURL(_ kind: MediaKind, _ key: String) -> String? {
        guard let privateLinkLifetime, let place = places[kind], let objectKey = try? objectKey(place, key) else {
            return nil
        }
        return client.presignedURL(place.bucket, objectKey, expires: privateLinkLifetime)
    }

    public func info(_ kind: MediaKind, _ key: String) async throws -> MediaObjectInfo? {
        guard let place = places[kind] else { return try await local.info(kind, key) }
        return try await client.head(place.bucket, try objectKey(place, key)).map {
            MediaObjectInfo(size: $0.size, etag: $0.etag, lastModified: $0.lastModified)
        }
    }

    public func stream(_ kind: MediaKind, _ key: String, range: ClosedRange<Int64>) async throws
        -> AsyncThrowingStream<[UInt8], any Error>
    {
        guard let place = places[kind] else { return try await local.stream(kind, key, range: range) }
        let buffers = try await client.stream(place.bucket, try objectKey(place, key), range: range)
        let reader = S3Client.BodyReader(buffers.makeAsyncIterator())
        return AsyncThrowingStream {
            guard var buffer = try await reader.iterator.next() else { return nil }
            return buffer.readBytes(length: buffer.readableBytes) ?? []
        }
    }

    /// Whether `kind` is kept in object storage.
    public func holds(_ kind: MediaKind) -> Bool { places[kind] != nil }

    /// `kind`/`key` read in one GET, all of it or the bytes of `range` (a `Range` header's value): for a viewer, in
    /// the buffers the bucket sent (`S3Client.open`). Only for kinds it `holds`.
    public func open(_ kind: MediaKind, _ key: String, range: String?) async throws -> S3Client.ObjectStream? {
        guard let place = places[kind] else { throw HerdError.internalError("\(kind) is not in object storage") }
        return try await client.open(place.bucket, try objectKey(place, key), range: range)
    }

    /// The files of a folder key, relative to it (empty for a single file or nothing).
    public func files(_ kind: MediaKind, inFolder key: String) async throws -> [String] {
        guard let place = places[kind] else { return [] }
        let folder = try objectKey(place, key) + "/"
        return try await client.list(place.bucket, prefix: folder).keys.map { String($0.dropFirst(folder.count)) }
    }

    /// Object storage keeps no local files: callers download what FFmpeg or hashing needs.
    public func localPath(_ kind: MediaKind, _ key: String) -> String? {
        places[kind] == nil ? local.localPath(kind, key) : nil
    }

    /// The `Content-Type` a browser or CDN needs when it fetches the object directly.
    static func type(of name: String) -> String {
        switch (name as NSString).pathExtension.lowercased() {
        case "m3u8": "application/vnd.apple.mpegurl"
        case "mp4", "m4v": "video/mp4"
        case "m4a": "audio/mp4"
        case "json": "application/json"
        case "jpg", "jpeg": "image/jpeg"
        case "torrent": "application/x-bittorrent"
        case "vtt": "text/vtt"
        default: "application/octet-stream"
        }
    }
}
