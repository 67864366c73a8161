import Foundation
import HerdCore
import Testing

@Suite("Media URLs on PeerTube's paths")
struct MediaURLsTests {
    static let uuid = "0b0f4a2c-1111-4c1c-9d1f-222233334444"

    static func file(_ kind: VideoFileKind, _ name: String) -> VideoFile {
        VideoFile(
            id: 1, videoId: 1, kind: kind, resolution: 720, width: 1280, height: 720, fps: 30, size: 1, filename: name,
            createdAt: Date())
    }

    @Test("web videos, HLS fragments, playlists, downloads and torrents, public and private")
    func paths() {
        let urls = MediaURLs(baseURL: "https://v.example")
        let web = Self.file(.webVideo, "\(Self.uuid)-720.mp4")
        let hls = Self.file(.hls, "\(Self.uuid)-720-fragmented.mp4")
        #expect(urls.file(web, videoUUID: Self.uuid) == "https://v.example/static/web-videos/\(Self.uuid)-720.mp4")
        #expect(
            urls.file(web, videoUUID: Self.uuid, privateFiles: true)
                == "https://v.example/static/web-videos/private/\(Self.uuid)-720.mp4")
        #expect(
            urls.file(hls, videoUUID: Self.uuid)
                == "https://v.example/static/streaming-playlists/hls/\(Self.uuid)/\(Self.uuid)-720-fragmented.mp4")
        #expect(
            urls.file(hls, videoUUID: Self.uuid, privateFiles: true)
                == "https://v.example/static/streaming-playlists/hls/private/\(Self.uuid)/\(Self.uuid)-720-fragmented.mp4"
        )
        #expect(urls.download(web) == "https://v.example/download/web-videos/\(Self.uuid)-720.mp4")
        #expect(
            urls.download(hls)
                == "https://v.example/download/streaming-playlists/hls/videos/\(Self.uuid)-720-fragmented.mp4")
        #expect(urls.torrent("a.torrent") == "https://v.example/lazy-static/torrents/a.torrent")
        #expect(urls.torrentDownload("a.torrent") == "https://v.example/download/torrents/a.torrent")
        #expect(
            urls.masterPlaylist(videoUUID: Self.uuid)
                == "https://v.example/static/streaming-playlists/hls/\(Self.uuid)/\(Self.uuid)-master.m3u8")
        #expect(
            urls.segmentsSha256(videoUUID: Self.uuid, privateFiles: true)
                == "https://v.example/static/streaming-playlists/hls/private/\(Self.uuid)/\(Self.uuid)-segments-sha256.json"
        )
        // Without a base URL: the paths the server's own routes (and torrents' web seeds) are built from.
        #expect(MediaURLs().file(web, videoUUID: Self.uuid) == "/static/web-videos/\(Self.uuid)-720.mp4")
    }
}
