import Foundation
import HerdCore
import Testing

/// Ratings and views, against every backend (issue 17).
@Suite("Store contract: ratings and views")
struct InteractionStoreContractTests {
    @Test(
        "ratings: previous one returned, a local video's counts recounted, a remote one's moved; views added",
        arguments: Backend.allCases)
    func interactions(backend: Backend) async throws {
        let (stores, cleanup) = try await backend.makeStores()
        defer { cleanup() }
        let alice = try await stores.users.create(StoreContractTests.newUser("alice"))
        let bob = try await stores.users.create(StoreContractTests.newUser("bob"))
        let local = try await stores.videos.create(NewVideo(channelId: alice.channels[0].id, name: "talk"))
        let interactions = stores.interactions
        func counts(_ id: Int64) async throws -> (Int, Int, Int) {
            let video = try #require(try await stores.videos.find(.id(id))?.video)
            return (video.likes, video.dislikes, video.views)
        }

        #expect(try await interactions.rate(videoId: local.id, accountId: alice.account.id, .like, url: nil) == .none)
        #expect(try await interactions.rate(videoId: local.id, accountId: bob.account.id, .like, url: nil) == .none)
        #expect(try await counts(local.id) == (2, 0, 0))
        #expect(try await interactions.rate(videoId: local.id, accountId: bob.account.id, .dislike, url: nil) == .like)
        #expect(try await interactions.rating(videoId: local.id, accountId: bob.account.id) == .dislike)
        #expect(try await counts(local.id) == (1, 1, 0))
        try await interactions.rate(videoId: local.id, accountId: bob.account.id, .none, url: nil)
        #expect(try await interactions.rating(videoId: local.id, accountId: bob.account.id) == .none)
        #expect(try await counts(local.id) == (1, 0, 0))

        // A remote video keeps its origin's counts, moved by this instance's ratings; a remote Like is found by id.
        let remote = try await MirrorStoreContractTests.remoteVideo(stores, name: "remote", hlsSize: nil)
        var origin = remote
        origin.likes = 40
        try await stores.videos.update(origin)
        try await interactions.rate(
            videoId: remote.id, accountId: alice.account.id, .like, url: "https://b.example/likes/1")
        #expect(try await counts(remote.id).0 == 41)
        let found = try #require(try await interactions.rating(url: "https://b.example/likes/1"))
        #expect(found.videoId == remote.id && found.accountId == alice.account.id)
        #expect(try await interactions.rating(url: "https://b.example/likes/2") == nil)

        try await interactions.addViews([local.id: 3, remote.id: 1])
        try await interactions.addViews([local.id: 2])
        #expect(try await counts(local.id).2 == 5)
        #expect(try await counts(remote.id).2 == 4)  // 3 from its origin, 1 here
    }
}
