import Foundation
import HerdAPI
import HerdBencode
import HerdCore
import HerdSeeder
import HerdTorrent
import HerdTracker
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// Joins torrents, tracker and seeder: a published video's torrents are tracked and seeded, its HLS swarms
/// (PeerTube's player keys, one per variant) are tracked, and the seeder announces itself for each torrent.
final class PeerHub: PeerDelivery {
    let tracker: TrackerService
    let seeder: Seeder
    let layout: StorageLayout
    let baseURL: String
    let seederAddress: PeerAddress
    let torrents: VideoTorrents
    let logger: Logger

    init(
        tracker: TrackerService, seeder: Seeder, settings: Settings, layout: StorageLayout, torrents: VideoTorrents,
        logger: Logger
    ) {
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

    func publish(videoUUID: UUID, files: [VideoFile]) async {
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
                catalog.add(
                    SeededFile(
                        path: Self.realPath(file.path(in: layout, videoUUID: videoUUID)), length: metainfo.length,
                        pieceLength: metainfo.pieceLength),
                    for: hash)
                tracker.register(hash)
                announceSeeder(hash)
            } catch {
                logger.warning("cannot seed a torrent", metadata: ["torrent": "\(torrentName)", "error": "\(error)"])
            }
        }
        for hash in hlsSwarms(videoUUID: videoUUID, files: files) { tracker.register(hash) }
    }

    func mirrorsChanged(videoUUID: UUID, files: [VideoFile], mirrors: [String]) async {
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

    func withdraw(videoUUID: UUID, files: [VideoFile]) async {
        for file in files {
            guard let hash = file.infoHash.flatMap(InfoHash.init(hex:)) else { continue }
            catalog.remove(hash)
            tracker.unregister(hash)
        }
        for hash in hlsSwarms(videoUUID: videoUUID, files: files) { tracker.unregister(hash) }
    }

    /// True when the client at `address` has announced this file's torrent (so it knows the seeder and its swarm),
    /// or is connected to the seeder for it.
    func seederServes(path: String, to address: String) -> Bool {
        guard let hash = catalog.hash(forPath: path) else { return false }
        return seeder.isServing(path: path, to: address)
            || tracker.hasTCPPeer(in: hash, address: address, except: PeerID(bytes: seeder.peerID))
    }

    /// `sha1("2" + masterPlaylistURL + "+V" + index)` for each variant of the master playlist.
    func hlsSwarms(videoUUID: UUID, files: [VideoFile]) -> [InfoHash] {
        let variants = files.filter { $0.kind == .hls }.count
        let id = videoUUID.uuidString.lowercased()
        let master = "\(baseURL)/static/streaming-playlists/hls/\(id)/\(id)-master.m3u8"
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
    func restore(from stores: Stores) async throws {
        let all = try await stores.videoFiles.listTorrents()
        for (uuid, entries) in Dictionary(grouping: all, by: \.videoUUID) {
            await publish(videoUUID: uuid, files: entries.map(\.file))
        }
        logger.info("seeding", metadata: ["torrents": "\(catalog.count)"])
    }

    func announceAll() {
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
