import Foundation
import HerdBencode
import HerdCore
import HerdCrypto
import HerdFederation
import HerdJobs
import HerdSeeder
import HerdTorrent
import Hummingbird
import HummingbirdTesting
import Testing

@testable import HerdApp

@Suite("Torrents follow the video")
struct TorrentLifecycleTests {
    /// `%XX` for every byte: how BitTorrent clients send `info_hash` (BEP 3).
    static func escaped(hex: String) -> String {
        var out = ""
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            out += "%" + hex[index..<next]
            index = next
        }
        return out
    }

    static func announce(_ client: any TestClientProtocol, hex: String) async throws -> String {
        let query =
            "info_hash=\(escaped(hex: hex))&peer_id=-QQ0001-abcdefghijkl&port=6881&uploaded=0&downloaded=0&left=1"
        return try await client.request(.get, "/tracker/announce?" + query).text
    }

    @Test(
        "published files get torrents the tracker knows, with their HLS swarms; mirrors rewrite web seeds only; delete withdraws all"
    )
    func lifecycle() async throws {
        let instance = try await TestInstance()
        defer { instance.remove() }
        let bytes = try LegacyUploadTests.videoBytes()
        let channel = try await LegacyUploadTests.channelId(instance, "root")
        try await instance.withClient(.live) { client in
            let token = try await client.login("root", TestInstance.rootPassword)
            let uuid = try await TranscodingFlowTests.upload(
                client, token: token, channel: channel, bytes: bytes, name: "Torrents")
            #expect(try await TranscodingFlowTests.workers(instance).runNext())
            let video = try await client.request(.get, "/api/v1/videos/\(uuid)").json()
            let web = try #require(video["files"] as? [[String: Any]])
            let playlist = try #require((video["streamingPlaylists"] as? [[String: Any]])?.first)
            let hls = try #require(playlist["files"] as? [[String: Any]])
            var hashes: [String] = []
            for file in web + hls {
                let uri = try #require(file["magnetUri"] as? String)
                let magnet = try #require(Magnet(uri: uri))
                hashes.append(magnet.infoHash)
                #expect(magnet.trackers == ["http://localhost/tracker/announce", "ws://localhost/tracker/socket"])
                #expect(magnet.webSeeds == [file["fileUrl"] as? String ?? ""])
                let url = try #require(file["torrentUrl"] as? String)
                let torrent = try await client.request(.get, String(url.dropFirst("http://localhost".count)))
                #expect(torrent.status == .ok)
                #expect(torrent.headers[.contentType] == "application/x-bittorrent")
                let metainfo = try Metainfo(
                    bencoded: try BencodeDecoder().decode(Array(torrent.body.readableBytesView)))
                #expect(metainfo.infoHash == magnet.infoHash)
                #expect(metainfo.length == Int64(file["size"] as? Int ?? -1))
                #expect(metainfo.pieceLength == Metainfo.pieceLength(forFileSize: metainfo.length))
                #expect(try await Self.announce(client, hex: magnet.infoHash).contains("5:peers"))
            }
            #expect(Set(hashes).count == 8)
            // PeerTube's player swarms: sha1("2" + master + "+V" + index), one per HLS variant.
            let master = try #require(playlist["playlistUrl"] as? String)
            let swarms = (0..<hls.count).map {
                Digest.hex(HLSSwarm.infoHash(masterPlaylistURL: master, variantIndex: $0))
            }
            for swarm in swarms { #expect(try await Self.announce(client, hex: swarm).contains("5:peers")) }
            // The ActivityPub Video object carries the same files, torrents, magnets and swarm keys (PeerTube's url[]).
            let object = try await client.request(
                .get, "/videos/watch/\(uuid)", headers: [.accept: "application/activity+json"])
            #expect(object.headers[.contentType] == "application/activity+json; charset=utf-8")
            let ap = try object.json()
            #expect(ap["type"] as? String == "Video")
            #expect(ap["id"] as? String == "http://localhost/videos/watch/\(uuid)")
            #expect(ap["duration"] as? String == "PT5S")
            let links = try #require(ap["url"] as? [[String: Any]])
            #expect(links.first?["mediaType"] as? String == "text/html")
            let hrefs = links.compactMap { $0["href"] as? String }
            for file in web {
                #expect(hrefs.contains(file["fileUrl"] as? String ?? "-"))
                #expect(hrefs.contains(file["torrentUrl"] as? String ?? "-"))
                #expect(hrefs.contains(file["magnetUri"] as? String ?? "-"))
            }
            let hlsLink = try #require(links.first { $0["mediaType"] as? String == "application/x-mpegURL" })
            #expect(hlsLink["href"] as? String == master)
            let tags = try #require(hlsLink["tag"] as? [[String: Any]])
            #expect(tags.filter { $0["type"] as? String == "Infohash" }.compactMap { $0["name"] as? String } == swarms)
            #expect(tags.contains { $0["name"] as? String == "sha256" })
            #expect(tags.filter { $0["mediaType"] as? String == "application/x-bittorrent" }.count == hls.count)
            #expect(links.contains { $0["name"] as? String == "tracker-websocket" })
            let attributed = (ap["attributedTo"] as? [[String: Any]])?.compactMap { $0["type"] as? String }
            #expect(attributed == ["Person", "Group"])
            // Round trip: what another Herd reads from it is what this one serves in its REST API.
            let read = try VideoObject(try JSONValue.parse(object.body.readableBytesView), origin: "localhost")
            #expect(read.uuid == UUID(uuidString: uuid) && read.duration == 5 && read.privacy == .public)
            #expect(read.source.playlistURL == master && read.source.swarmInfoHashes == swarms)
            #expect(read.source.webFiles.map(\.fileURL) == web.compactMap { $0["fileUrl"] as? String })
            #expect(read.source.webFiles.map(\.torrentURL) == web.compactMap { $0["torrentUrl"] as? String })
            #expect(read.source.webFiles.map(\.magnetURI) == web.compactMap { $0["magnetUri"] as? String })
            #expect(read.source.hlsFiles.count == hls.count)
            #expect(read.source.trackers.count == 2)
            #expect(read.channelURL == "http://localhost/video-channels/root_channel")
            #expect(
                try await Self.announce(client, hex: String(repeating: "ab", count: 20)).contains("unknown info-hash"))

            // A new list of mirrors (their copies of the HLS directory) rewrites the HLS torrents' url-list; the
            // info-hashes stay, and web MP4 torrents keep the origin alone.
            let stored = try #require(try await instance.stores.videos.find(.uuid(UUID(uuidString: uuid)!))?.video)
            let torrents = VideoTorrents(
                stores: instance.stores, layout: instance.layout, baseURL: instance.settings.baseURL,
                clock: SystemWallClock())
            let mirror = "https://mirror.example/static/redundancy/hls/\(uuid)"
            try await torrents.rewrite(for: stored, mirrors: [mirror])
            func metainfo(_ url: String) async throws -> Metainfo {
                try Metainfo(
                    bencoded: try BencodeDecoder().decode(
                        Array(
                            try await client.request(.get, String(url.dropFirst("http://localhost".count))).body
                                .readableBytesView)))
            }
            let url = try #require(web[0]["torrentUrl"] as? String)
            let rewritten = try await metainfo(url)
            #expect(rewritten.infoHash == hashes[0])
            #expect(rewritten.urlList == [try #require(web[0]["fileUrl"] as? String)])
            let hlsFile = try #require(hls.first)
            let hlsFileURL = try #require(hlsFile["fileUrl"] as? String)
            let hlsTorrent = try await metainfo(try #require(hlsFile["torrentUrl"] as? String))
            let mirroredFile = mirror + "/" + (hlsFileURL.split(separator: "/").last ?? "")
            #expect(hlsTorrent.urlList == [hlsFileURL, mirroredFile])
            // With the mirror recorded (as its CacheFile does), the API lists it and the HLS magnets carry it.
            try await instance.stores.mirrors.save(
                videoId: stored.id, url: "https://mirror.example/redundancy/streaming-playlists/hls/\(uuid)",
                baseURL: mirror, host: "mirror.example", expiresAt: nil)
            let mirrored = try await client.request(.get, "/api/v1/videos/\(uuid)").json()
            let mirroredPlaylist = try #require((mirrored["streamingPlaylists"] as? [[String: Any]])?.first)
            #expect(
                (mirroredPlaylist["redundancies"] as? [[String: Any]])?.compactMap { $0["baseUrl"] as? String } == [
                    mirror
                ])
            let mirroredURI = try #require(
                (mirroredPlaylist["files"] as? [[String: Any]])?.first?["magnetUri"] as? String)
            let mirroredMagnet = try #require(Magnet(uri: mirroredURI))
            #expect(mirroredMagnet.webSeeds == [hlsFileURL, mirroredFile])

            // Deleting the video withdraws every torrent and swarm from the tracker and removes the files.
            #expect(try await client.request(.delete, "/api/v1/videos/\(uuid)", token: token).status == .noContent)
            for hash in hashes + swarms {
                #expect(try await Self.announce(client, hex: hash).contains("unknown info-hash"))
            }
            #expect(try await client.request(.get, String(url.dropFirst("http://localhost".count))).status == .notFound)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: instance.layout.torrents).isEmpty)
    }
}
