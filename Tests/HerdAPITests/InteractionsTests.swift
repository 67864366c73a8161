import Foundation
import HTTPTypes
import HerdAPI
import HerdApp
import HerdCore
import HerdProcessing
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Ratings and views")
struct InteractionsTests {
    @Test("likes and dislikes: one rating per account, counts follow, the user's own rating; bad input")
    func ratings() async throws {
        let instance = try await TestInstance()
        defer { instance.remove() }
        let video = try await VideosTests.makeVideo(instance, owner: "root", name: "rated")
        try await instance.withClient { client in
            let root = try await client.login("root", TestInstance.rootPassword)
            let alice = try await client.createUser("alice", adminToken: root)
            let path = "/api/v1/videos/\(video.uuid.uuidString.lowercased())"
            func rate(_ rating: String, _ token: String?) async throws -> HTTPResponse.Status {
                try await client.request(.put, path + "/rate", token: token, json: #"{"rating":"\#(rating)"}"#).status
            }
            func counts() async throws -> (Int?, Int?) {
                let json = try await client.request(.get, path).json()
                return (json["likes"] as? Int, json["dislikes"] as? Int)
            }
            #expect(try await rate("like", alice) == .noContent)
            #expect(try await rate("like", alice) == .noContent)  // the same again changes nothing
            #expect(try await rate("dislike", root) == .noContent)
            #expect(try await counts() == (1, 1))
            #expect(try await rate("dislike", alice) == .noContent)
            #expect(try await counts() == (0, 2))
            let mine = try await client.request(.get, "/api/v1/users/me/videos/\(video.id)/rating", token: alice)
            #expect(try mine.json()["rating"] as? String == "dislike")
            #expect(try await rate("none", alice) == .noContent)
            #expect(try await counts() == (0, 1))
            let none = try await client.request(.get, "/api/v1/users/me/videos/\(video.id)/rating", token: alice)
            #expect(try none.json()["rating"] as? String == "none")
            #expect(try await rate("like", nil) == .unauthorized)
            #expect(try await rate("love", alice) == .badRequest)
            let private_ = try await VideosTests.makeVideo(instance, owner: "root", name: "secret", privacy: .private)
            let hidden = try await client.request(
                .put, "/api/v1/videos/\(private_.id)/rate", token: alice, json: #"{"rating":"like"}"#)
            #expect(hidden.status == .notFound)
        }
    }

    @Test("views: one per viewer per hour, gathered in memory and written in one batch")
    func views() async throws {
        let instance = try await TestInstance()
        defer { instance.remove() }
        let video = try await VideosTests.makeVideo(instance, owner: "root", name: "watched")
        try await instance.withClient { client in
            let path = "/api/v1/videos/\(video.id)/views"
            for session in ["a", "a", "a", "b", "c"] {
                let response = try await client.request(
                    .post, path, json: #"{"currentTime":3,"sessionId":"\#(session)"}"#)
                #expect(response.status == .noContent)
            }
            #expect(try await client.request(.post, path, json: #"{"currentTime":-1}"#).status == .badRequest)
            let drained = await instance.herd.processing.interactions.drain()
            #expect(drained.views == [video.id: 3])
            try await instance.stores.interactions.addViews(drained.views)
            #expect(try await instance.stores.videos.find(.id(video.id))?.video.views == 3)
            // The same sessions within the hour do not count again.
            _ = try await client.request(.post, path, json: #"{"sessionId":"a"}"#)
            #expect(await instance.herd.processing.interactions.drain().views.isEmpty)
        }
    }
}
