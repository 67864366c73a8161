import Foundation
import HerdCore
import HerdCrypto
import HerdFederation
import HerdTorrent

/// Copies a remote video's HLS playlist for a mirror, trusting nothing it has not checked:
/// 1. the `Video` object is fetched again from its origin, signed by the instance actor, and read with the same
///    checks as an incoming one (id, owners and media on the origin);
/// 2. each rung's torrent must have the info-hash the object's magnet names, and each fragmented MP4 is checked
///    piece by piece against that torrent as it arrives (BEP 3);
/// 3. `segments-sha256.json` must match the copied files' byte ranges, and the master and media playlists may name
///    only files of the copy, with ranges inside them (`HLSCopyCheck`).
/// Everything lands in a scratch folder first; only a whole, verified copy is put in the media store (`.copies`).
public final class VideoCopier: Sendable {
    let fetcher: RemoteDocuments
    let media: any MediaStore
    /// Where copies are made before they are checked whole (the storage's `tmp`).
    let scratchFolder: String

    public init(fetcher: RemoteDocuments, media: any MediaStore, scratchFolder: String) {
        self.fetcher = fetcher
        self.media = media
        self.scratchFolder = scratchFolder
    }

    struct Refused: Error, CustomStringConvertible {
        var reason: String
        var description: String { reason }
    }

    /// Largest playlist, torrent or hash list accepted.
    static let maxSmallFile = 8 * 1024 * 1024

    /// Copies the video at `url` (its copy replaced), returning the bytes copied.
    public func copy(_ video: Video, url: String) async throws -> Int64 {
        guard let transport = fetcher.transport, let origin = URLParts(url)?.authority else {
            throw Refused(reason: "federation is disabled")
        }
        let document = try await fetcher.signedFetch(url)
        guard document["id"]?.string == url else { throw Refused(reason: "\(url) served another object") }
        let object = try VideoObject(document, origin: origin)
        let source = object.source
        guard let masterURL = source.playlistURL, !source.hlsFiles.isEmpty else {
            throw Refused(reason: "the video has no HLS playlist")
        }
        let scratch = scratchFolder + "/copy-\(video.uuid.lowercasedString)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        do {
            let (size, torrents, types) = try await fill(
                scratch, source: source, masterURL: masterURL, fetcher: transport)
            try CopyIntegrity(directory: scratch).writeManifest(torrents: torrents, types: types)
            try await media.put(.copies, video.uuid.lowercasedString, movingFrom: scratch)
            return size
        } catch {
            try? FileManager.default.removeItem(atPath: scratch)
            throw error
        }
    }

    func fill(_ scratch: String, source: RemoteVideoSource, masterURL: String, fetcher: any ActivityPubFetcher)
        async throws -> (size: Int64, torrents: [String: String], types: [String: String])
    {
        var sizes: [String: Int64] = [:]
        var torrents: [String: String] = [:]
        // Each file's content type is the role it was checked in (issue 14).
        var types: [String: String] = [:]
        // The rungs are copied side by side (each hashed as it arrives: two cores verify two streams).
        let copied = try await withThrowingTaskGroup(of: CopiedFile.self) { group in
            for file in source.hlsFiles {
                group.addTask { try await Self.copyFile(file, into: scratch, fetcher: fetcher) }
            }
            return try await group.reduce(into: [CopiedFile]()) { $0.append($1) }
        }
        for file in copied {
            guard file.torrentName != file.name, torrents[file.torrentName] == nil, sizes[file.name] == nil,
                !sizes.keys.contains(file.torrentName), torrents[file.name] == nil
            else { throw Refused(reason: "\(file.torrentName) clashes with another file of the copy") }
            try Data(file.torrent).write(to: URL(fileURLWithPath: scratch + "/" + file.torrentName))
            torrents[file.torrentName] = file.name
            sizes[file.name] = file.length
            types[file.torrentName] = "application/x-bittorrent"
            types[file.name] = "video/mp4"
        }
        // The playlists: only copied files, ranges inside them.
        let base = String(masterURL[..<(masterURL.lastIndex(of: "/") ?? masterURL.endIndex)])
        let masterBytes = try await fetcher.fetchMedia(masterURL, maxBytes: Self.maxSmallFile)
        let master = String(decoding: masterBytes, as: UTF8.self)
        let playlist = "application/vnd.apple.mpegurl"
        var small: [(name: String, bytes: [UInt8], type: String)] = [
            (try Self.plainName(masterURL), masterBytes, playlist)
        ]
        for variant in try HLSCopyCheck.variants(ofMaster: master) {
            let bytes = try await fetcher.fetchMedia(base + "/" + variant, maxBytes: Self.maxSmallFile)
            try HLSCopyCheck.check(
                mediaPlaylist: String(decoding: bytes, as: UTF8.self), name: variant, fileSizes: sizes)
            small.append((variant, bytes, playlist))
        }
        if let hashesURL = source.segmentsSha256URL {
            let bytes = try await fetcher.fetchMedia(hashesURL, maxBytes: Self.maxSmallFile)
            try Self.checkSegmentHashes(bytes, in: scratch)
            small.append((try Self.plainName(hashesURL), bytes, "application/json"))
        }
        for (name, bytes, type) in small {
            guard types[name] == nil else { throw Refused(reason: "\(name) clashes with another file of the copy") }
            try Data(bytes).write(to: URL(fileURLWithPath: scratch + "/" + name))
            types[name] = type
        }
        let size = sizes.values.reduce(0, +) + small.reduce(Int64(0)) { $0 + Int64($1.bytes.count) }
        return (size, torrents, types)
    }

    struct CopiedFile: Sendable {
        var name: String
        var length: Int64
        var torrentName: String
        var torrent: [UInt8]
    }

    /// Streams one rung's fragmented MP4 through `PieceVerifier` against the torrent the magnet names, into
    /// `scratch`, writing in blocks of about 1 MiB.
    static func copyFile(_ file: RemoteVideoSource.File, into scratch: String, fetcher: any ActivityPubFetcher)
        async throws -> CopiedFile
    {
        guard let magnet = file.magnetURI.flatMap(Magnet.init(uri:)), let torrentURL = file.torrentURL else {
            throw Refused(reason: "the \(file.resolution)p file has no torrent or magnet to check it against")
        }
        let torrentBytes = try await fetcher.fetchMedia(torrentURL, maxBytes: maxSmallFile)
        let torrent = try TorrentFile(bytes: torrentBytes)
        var verifier = try PieceVerifier(torrent: torrent, expectedInfoHash: magnet.infoHash)
        let name = try plainName(file.fileURL)
        let path = scratch + "/" + name
        guard !FileManager.default.fileExists(atPath: path),
            FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw Refused(reason: "cannot write \(name) (named twice?)") }
        defer { try? handle.close() }
        var pending: [UInt8] = []
        pending.reserveCapacity(1 << 20)
        try await fetcher.download(file.fileURL, maxBytes: torrent.metainfo.length) { bytes in
            try verifier.consume(bytes)
            pending.append(contentsOf: bytes)
            if pending.count >= 1 << 20 {
                try handle.write(contentsOf: pending)
                pending.removeAll(keepingCapacity: true)
            }
        }
        try verifier.finish()
        try handle.write(contentsOf: pending)
        return CopiedFile(
            name: name, length: torrent.metainfo.length, torrentName: try plainName(torrentURL), torrent: torrentBytes)
    }

    /// PeerTube's `segments-sha256.json` (`{"<file>": {"<start>-<end>": "<sha256>"}}`) against the copied files.
    static func checkSegmentHashes(_ bytes: [UInt8], in directory: String) throws {
        guard let files = try? JSONValue.parse(bytes).object else {
            throw Refused(reason: "segments-sha256.json is not a JSON object")
        }
        for (file, ranges) in files {
            let name = try plainName(file)
            guard let handle = FileHandle(forReadingAtPath: directory + "/" + name) else {
                throw Refused(reason: "segments-sha256.json names \(name), which is not a copied file")
            }
            defer { try? handle.close() }
            let size = try handle.seekToEnd()
            for (range, hash) in ranges.object ?? [:] {
                // Ranges come from another server: inside the copied file, and one segment at most 64 MiB.
                let bounds = range.utf8.count <= 41 ? range.split(separator: "-").compactMap { UInt64($0) } : []
                guard bounds.count == 2, bounds[1] >= bounds[0], bounds[1] < size, bounds[1] - bounds[0] < 64 << 20,
                    let expected = hash.string
                else { throw Refused(reason: "segments-sha256.json has a bad range \(range.prefix(64)) for \(name)") }
                let length = Int(bounds[1] - bounds[0] + 1)
                try handle.seek(toOffset: bounds[0])
                let data = try handle.read(upToCount: length) ?? Data()
                guard data.count == length,
                    Digest.hex(Digest.sha256(data)) == expected.lowercased()
                else { throw Refused(reason: "segment \(range) of \(name) does not match segments-sha256.json") }
            }
        }
    }

    /// The last path component of a URL, when it is a plain file name.
    static func plainName(_ url: String) throws -> String {
        let path = URLParts(url)?.path ?? url
        let name = String(path.split(separator: "/").last ?? "")
        guard !name.isEmpty, !name.hasPrefix("."), !name.contains("%"), !name.contains("\\") else {
            throw Refused(reason: "\(url) is not a plain file name")
        }
        return name
    }
}
