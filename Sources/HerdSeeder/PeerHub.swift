import Foundation
import HerdBencode
import HerdCore
import HerdTorrent
import HerdTracker
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Joins torrents, tracker and seeder: a published video's torrents are tracked and seeded, its HLS swarms
/// (PeerTube's player keys, one per variant) are tracked, and the seeder announces itself for each torrent.
public final class PeerHub: PeerDelivery {
    public let tracker: TrackerService
    public let seeder: Seeder
    let layout: StorageLayout
    /// Where files not on this machine are (object storage): the seeder reads them there.
    let media: any MediaStore
    let baseURL: String
    let seederAddress: PeerAddress
    let torrents: VideoTorrents
    let logger: Logger
    /// GETs a URL (an announce to another instance's tracker); nil without federation.
    let announceRemotely: (@Sendable (String) async throws -> [UInt8])?
    /// Copies of remote videos being seeded: their info-hashes and the origin's HTTP trackers.
    let copies = Mutex<[UUID: (hashes: [InfoHash], trackers: [String])]>([:])
    /// The files of each video published here, for `catchUp` to withdraw what another process withdrew.
    let published = Mutex<[UUID: [VideoFile]]>([:])

    public init(
        tracker: TrackerService, seeder: Seeder, settings: Settings, layout: StorageLayout, media: any MediaStore,
        torrents: VideoTorrents, logger: Logger, announceRemotely: (@Sendable (String) async throws -> [UInt8])? = nil
    ) {
        self.media = media
        self.announceRemotely = announceRemotely
        self.tracker = tracker
        self.seeder = seeder
        self.layout = layout
        self.torrents = torrents
        self.logger = logger
        baseURL = settings.baseURL
        let configured = settings.p2p.seederPublicIP
        seederAddress =
            PeerAddress(configured.isEmpty ? Self.resolve(settings.webserverHostname) : configured)
            ?? PeerAddress("127.0.0.1")!
    }

    var catalog: SeedCatalog { seeder.catalog }

    public func makeTorrents(video: Video, files: [VideoFile], localPath: @Sendable (VideoFile) -> String)
        async throws -> [VideoFile]
    {
        try await torrents.make(for: video, files: files, localPath: localPath)
    }

    public func publish(videoUUID: UUID, files: [VideoFile]) async {
        let mirrors = await torrents.mirrors(videoId: files.first?.videoId)
        for file in files {
            guard let hex = file.infoHash, let hash = InfoHash(hex: hex), let torrentName = file.torrentFilename else {
                continue
            }
            do {
                // Torrents made under another address (webserver.hostname changed) are brought up to date.
                guard let metainfo = try torrents.refresh(file, videoUUID: videoUUID, mirrors: mirrors) else {
                    continue
                }
                tracker.register(hash)
                // The seeder serves files on this machine from the disk, and those in object storage by ranged reads.
                let path = file.path(in: layout, videoUUID: videoUUID)
                let object = file.media(videoUUID: videoUUID)
                if FileManager.default.fileExists(atPath: path) {
                    catalog.add(
                        SeededFile(
                            path: Self.realPath(path), length: metainfo.length, pieceLength: metainfo.pieceLength),
                        for: hash)
                    announceSeeder(hash)
                } else if media.localPath(object.kind, object.key) == nil,
                    try await media.info(object.kind, object.key)?.size == metainfo.length
                {
                    catalog.add(
                        SeededFile(object: object, length: metainfo.length, pieceLength: metainfo.pieceLength),
                        for: hash)
                    announceSeeder(hash)
                }
            } catch {
                logger.warning("cannot seed a torrent", metadata: ["torrent": "\(torrentName)", "error": "\(error)"])
            }
        }
        for hash in hlsSwarms(videoUUID: videoUUID, files: files) { tracker.register(hash) }
        published.withLock { $0[videoUUID] = files }
    }

    public func mirrorsChanged(videoUUID: UUID, files: [VideoFile], mirrors: [String]) async {
        for file in files {
            do {
                _ = try torrents.refresh(file, videoUUID: videoUUID, mirrors: mirrors)
            } catch {
                logger.warning(
                    "cannot rewrite a torrent for its mirrors",
                    metadata: ["file": "\(file.filename)", "error": "\(error)"])
            }
        }
    }

    public func withdraw(videoUUID: UUID, files: [VideoFile]) async {
        published.withLock { _ = $0.removeValue(forKey: videoUUID) }
        for file in files {
            guard let hash = file.infoHash.flatMap(InfoHash.init(hex:)) else { continue }
            catalog.remove(hash)
            tracker.unregister(hash)
        }
        for hash in hlsSwarms(videoUUID: videoUUID, files: files) { tracker.unregister(hash) }
    }

    public func seedCopy(videoUUID: UUID, torrents: [CopiedTorrent], originTrackers: [String]) async {
        var hashes: [InfoHash] = []
        for torrent in torrents {
            guard let hash = InfoHash(hex: torrent.infoHash) else { continue }
            catalog.add(
                SeededFile(path: Self.realPath(torrent.path), length: torrent.length, pieceLength: torrent.pieceLength),
                for: hash)
            tracker.register(hash)
            announceSeeder(hash)
            hashes.append(hash)
        }
        let trackers = originTrackers.filter { $0.hasPrefix("http://") || $0.hasPrefix("https://") }
        copies.withLock { $0[videoUUID] = (hashes, trackers) }
        // Announced in the background: an origin that is down must not hold the mirror up.
        Task { await announceCopies(only: videoUUID, event: "started") }
    }

    public func withdrawCopy(videoUUID: UUID) async {
        guard let copy = copies.withLock({ $0.removeValue(forKey: videoUUID) }) else { return }
        for hash in copy.hashes {
            catalog.remove(hash)
            tracker.unregister(hash)
        }
        Task { await announce(copy, event: "stopped") }
    }

    /// Announces the seeder, as a seed, to the origins' trackers for every copy (or one).
    public func announceCopies(only uuid: UUID? = nil, event: String? = nil) async {
        let all = copies.withLock { current in uuid.map { current[$0].map { [$0] } ?? [] } ?? Array(current.values) }
        for copy in all { await announce(copy, event: event) }
    }

    /// BEP 3 announce over HTTP: `left=0` (a seed), the seeder's port, compact answers.
    func announce(_ copy: (hashes: [InfoHash], trackers: [String]), event: String?) async {
        guard let announceRemotely, let port = seeder.port else { return }
        let peerID = seeder.peerID
        for tracker in copy.trackers {
            for hash in copy.hashes {
                var query = "info_hash=\(Self.percentEncode(hash.bytes))&peer_id=\(Self.percentEncode(peerID))"
                query += "&port=\(port)&uploaded=0&downloaded=0&left=0&compact=1"
                if let event { query += "&event=\(event)" }
                let url = tracker + (tracker.contains("?") ? "&" : "?") + query
                do {
                    _ = try await announceRemotely(url)
                } catch {
                    logger.debug(
                        "cannot announce a copy to its origin's tracker",
                        metadata: ["tracker": "\(tracker)", "error": "\(error)"])
                }
            }
        }
    }

    /// Bytes as a URL query value (every byte outside unreserved characters escaped).
    static func percentEncode(_ bytes: some Sequence<UInt8>) -> String {
        var text = ""
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                text.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                text += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return text
    }

    /// True when the client at `address` has announced this file's torrent (so it knows the seeder and its swarm),
    /// or is connected to the seeder for it.
    public func seederServes(path: String, to address: String) -> Bool {
        guard let hash = catalog.hash(forPath: path) else { return false }
        return seeder.isServing(path: path, to: address)
            || tracker.hasTCPPeer(in: hash, address: address, except: PeerID(bytes: seeder.peerID))
    }

    /// `sha1("2" + masterPlaylistURL + "+V" + index)` for each variant of the master playlist.
    func hlsSwarms(videoUUID: UUID, files: [VideoFile]) -> [InfoHash] {
        let variants = files.filter { $0.kind == .hls }.count
        let master = MediaURLs(baseURL: baseURL).masterPlaylist(videoUUID: videoUUID.lowercasedString)
        return (0..<variants).compactMap {
            InfoHash(bytes: HLSSwarm.infoHash(masterPlaylistURL: master, variantIndex: $0))
        }
    }

    /// The seeder announces itself like any client: a seed (`left` 0) at its public address and port.
    func announceSeeder(_ hash: InfoHash) {
        guard let port = seeder.port, let peerID = PeerID(bytes: seeder.peerID) else { return }
        let endpoint = PeerEndpoint(address: seederAddress, port: UInt16(port))
        do {
            _ = try tracker.announce(
                AnnounceRequest(infoHash: hash, peerID: peerID, transport: .tcp(endpoint), left: 0, event: .update))
        } catch {
            logger.warning("the seeder could not announce", metadata: ["hash": "\(hash)", "error": "\(error)"])
        }
    }

    /// Every torrent recorded in the database is seeded again after a restart.
    public func restore(from stores: Stores) async throws {
        let all = try await stores.videoFiles.listTorrents()
        for (uuid, entries) in Dictionary(grouping: all, by: \.videoUUID) {
            await publish(videoUUID: uuid, files: entries.map(\.file))
        }
        logger.info("seeding", metadata: ["torrents": "\(catalog.count)"])
    }

    /// What other processes of the instance did (a `herd worker`, another web node: issue 18), taken up from the
    /// database: videos listed with torrents this tracker does not know yet are tracked and seeded here too, and
    /// videos published here that the database no longer lists (deleted, made private elsewhere) are withdrawn.
    /// Returns how many videos changed.
    @discardableResult
    public func catchUp(from stores: Stores) async throws -> Int {
        // Read before the database: a video this process publishes meanwhile is listed there already, and must not
        // look withdrawn.
        let before = published.withLock { $0 }
        let listed = Dictionary(grouping: try await stores.videoFiles.listTorrents(), by: \.videoUUID)
        let gone = before.filter { listed[$0.key] == nil }
        for (uuid, files) in gone { await withdraw(videoUUID: uuid, files: files) }
        var caught = gone.count
        for (uuid, entries) in listed {
            let files = entries.map(\.file)
            let unknown = files.contains { file in
                file.infoHash.flatMap { InfoHash(hex: $0) }.map { !tracker.isKnown($0) } ?? false
            }
            guard unknown else { continue }
            await publish(videoUUID: uuid, files: files)
            caught += 1
        }
        return caught
    }

    public func announceAll() {
        for hash in catalog.hashes { announceSeeder(hash) }
    }

    /// The canonical path, as the static file server resolves it.
    static func realPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// A host name's first IPv4 address (`localhost` → 127.0.0.1).
    static func resolve(_ host: String) -> String {
        if PeerAddress(host) != nil { return host }
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else { return "127.0.0.1" }
        defer { freeaddrinfo(result) }
        guard let address = first.pointee.ai_addr else { return "127.0.0.1" }
        return address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
            var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
            var raw = pointer.pointee.sin_addr
            inet_ntop(AF_INET, &raw, &text, socklen_t(INET_ADDRSTRLEN))
            return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
