import Foundation
import HerdCore
import Testing

/// Mirrors of local videos and this instance's copies of remote ones, against every backend (issues 6 and 17).
@Suite("Store contract: mirrors and copies")
struct MirrorStoreContractTests {
    /// A published public remote video with `hlsSize` bytes of HLS files (none: not a mirror candidate).
    static func remoteVideo(_ stores: Stores, name: String, hlsSize: Int64?) async throws -> Video {
        let host = "b.example"
        let account = try await stores.federation.saveRemoteAccount(
            url: "https://\(host)/accounts/bob", name: "bob", displayName: "Bob", description: nil, host: host)
        let channel = try await stores.federation.saveRemoteChannel(
            url: "https://\(host)/video-channels/bob_channel", accountId: account.id, name: "bob_channel",
            displayName: "Bob's", description: nil, support: nil, host: host)
        let uuid = UUID()
        let hls = hlsSize.map {
            [
                RemoteVideoSource.File(
                    resolution: 720, width: 1280, height: 720, fps: 30, size: $0, fileURL: "https://\(host)/h.mp4")
            ]
        }
        let source = RemoteVideoSource(
            url: "https://\(host)/videos/watch/\(uuid.lowercasedString)", hlsFiles: hls ?? [])
        return try await stores.videos.create(
            NewVideo(
                uuid: uuid, channelId: channel.id, name: name, privacy: .public, state: .published, views: 3,
                publishedAt: Date(), remote: source))
    }

    @Test("mirrors: saved again by url, listed per video until they expire, deleted", arguments: Backend.allCases)
    func mirrors(backend: Backend) async throws {
        let (stores, cleanup) = try await backend.makeStores()
        defer { cleanup() }
        let alice = try await stores.users.create(StoreContractTests.newUser("alice"))
        let video = try await stores.videos.create(NewVideo(channelId: alice.channels[0].id, name: "talk"))
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let url = "https://c.example/redundancy/1"
        let first = try await stores.mirrors.save(
            videoId: video.id, url: url, baseURL: "https://c.example/static/redundancy/hls/x", host: "c.example",
            expiresAt: now + 3600)
        let renewed = try await stores.mirrors.save(
            videoId: video.id, url: url, baseURL: "https://c.example/static/redundancy/hls/x", host: "c.example",
            expiresAt: now + 7200)
        #expect(renewed.id == first.id && renewed.expiresAt == now + 7200)
        try await stores.mirrors.save(
            videoId: video.id, url: "https://d.example/r/1", baseURL: "https://d.example/r", host: "d.example",
            expiresAt: now + 60)
        #expect(try await stores.mirrors.list(videoId: video.id, now: now).count == 2)
        #expect(try await stores.mirrors.list(videoId: video.id, now: now + 120).map(\.url) == [url])
        #expect(try await stores.mirrors.all(now: now + 120).map(\.url) == [url])
        #expect(try await stores.mirrors.find(url: url)?.host == "c.example")
        try await stores.mirrors.delete(url: url)
        #expect(try await stores.mirrors.find(url: url) == nil)
        #expect(try await stores.mirrors.list(videoId: video.id, now: now + 120).isEmpty)
    }

    @Test(
        "copies: one per video, copying then ready, renewed and verified, deleted; candidates are remote HLS videos",
        arguments: Backend.allCases)
    func copies(backend: Backend) async throws {
        let (stores, cleanup) = try await backend.makeStores()
        defer { cleanup() }
        let alice = try await stores.users.create(StoreContractTests.newUser("alice"))
        _ = try await stores.videos.create(
            NewVideo(channelId: alice.channels[0].id, name: "local", privacy: .public, state: .published))
        let remote = try await Self.remoteVideo(stores, name: "remote", hlsSize: 5000)
        _ = try await Self.remoteVideo(stores, name: "web files only", hlsSize: nil)
        let candidates = try await stores.copies.candidates()
        #expect(candidates.map(\.video.videoId) == [remote.id])
        #expect(candidates.first?.video.size == 5000 && candidates.first?.url == remote.remote?.url)

        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let copy = try #require(try await stores.copies.create(videoId: remote.id, strategy: .mostViews, now: now))
        #expect(copy.state == .copying && copy.strategy == .mostViews)
        #expect(try await stores.copies.create(videoId: remote.id, strategy: .manual, now: now) == nil)
        try await stores.copies.markReady(id: copy.id, size: 5000, expiresAt: now + 3600, now: now)
        try await stores.copies.renew(id: copy.id, expiresAt: now + 7200, now: now + 10)
        try await stores.copies.markVerified(id: copy.id, at: now + 20)
        let ready = try #require(try await stores.copies.find(videoId: remote.id))
        #expect(ready.state == .ready && ready.size == 5000 && ready.expiresAt == now + 7200)
        #expect(ready.verifiedAt == now + 20 && ready.id == copy.id)
        #expect(try await stores.copies.list().map(\.id) == [copy.id])
        try await stores.copies.delete(id: copy.id)
        #expect(try await stores.copies.find(id: copy.id) == nil)
        #expect(try await stores.copies.list().isEmpty)
    }
}
