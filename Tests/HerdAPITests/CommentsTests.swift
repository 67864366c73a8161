import Foundation
import HTTPTypes
import HerdCore
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Video comments")
struct CommentsTests {
    @Test("threads, replies and the tree; delete keeps replies threaded; who may delete; bad input")
    func threads() async throws {
        let instance = try await TestInstance()
        defer { instance.remove() }
        let video = try await VideosTests.makeVideo(instance, owner: "root", name: "commented")
        try await instance.withClient { client in
            let root = try await client.login("root", TestInstance.rootPassword)
            let alice = try await client.createUser("alice", adminToken: root)
            let bob = try await client.createUser("bob", adminToken: root)
            let base = "/api/v1/videos/\(video.uuid.uuidString.lowercased())"
            func post(_ path: String, _ text: String, token: String?) async throws -> TestResponse {
                try await client.request(.post, base + path, token: token, json: #"{"text":\#(text)}"#)
            }
            let first = try await post("/comment-threads", #""First!""#, token: alice)
            #expect(first.status == .ok, "\(String(buffer: first.body))")
            let firstComment = try #require(try first.json()["comment"] as? [String: Any])
            let firstId = try #require(firstComment["id"] as? Int)
            #expect(firstComment["threadId"] as? Int == firstId)
            #expect(firstComment["text"] as? String == "First!")
            #expect((firstComment["account"] as? [String: Any])?["name"] as? String == "alice")
            #expect(
                firstComment["url"] as? String
                    == "http://localhost/videos/watch/\(video.uuid.uuidString.lowercased())/comments/\(firstId)")
            let reply = try await post("/comments/\(firstId)", #""Second, replying""#, token: bob)
            let replyId = try #require((try reply.json()["comment"] as? [String: Any])?["id"] as? Int)
            let nested = try await post("/comments/\(replyId)", #""Third, nested""#, token: alice)
            #expect(nested.status == .ok)
            _ = try await post("/comment-threads", #""Another thread""#, token: root)

            let list = try await client.request(.get, base + "/comment-threads?sort=-createdAt")
            #expect(try list.json()["total"] as? Int == 2)
            #expect(try list.json()["totalNotDeletedComments"] as? Int == 4)
            let threads = try list.jsonArray("data")
            #expect(threads.map { $0["text"] as? String } == ["Another thread", "First!"])
            #expect(threads.last?["totalReplies"] as? Int == 2)
            let byReplies = try await client.request(.get, base + "/comment-threads?sort=-totalReplies").jsonArray(
                "data")
            #expect(byReplies.first?["text"] as? String == "First!")

            let tree = try await client.request(.get, base + "/comment-threads/\(firstId)").json()
            #expect((tree["comment"] as? [String: Any])?["text"] as? String == "First!")
            let children = try #require(tree["children"] as? [[String: Any]])
            #expect((children.first?["comment"] as? [String: Any])?["text"] as? String == "Second, replying")
            let grandchildren = try #require(children.first?["children"] as? [[String: Any]])
            #expect((grandchildren.first?["comment"] as? [String: Any])?["text"] as? String == "Third, nested")

            // Bob may not delete Alice's comment; the video's owner (root) may; the reply stays in its thread.
            let refused = try await client.request(.delete, base + "/comments/\(firstId)", token: bob)
            #expect(refused.status == .forbidden)
            let removed = try await client.request(.delete, base + "/comments/\(firstId)", token: root)
            #expect(removed.status == .noContent)
            let after = try await client.request(.get, base + "/comment-threads/\(firstId)").json()
            let deleted = try #require(after["comment"] as? [String: Any])
            #expect(deleted["isDeleted"] as? Bool == true && deleted["text"] as? String == "")
            #expect(
                ((after["children"] as? [[String: Any]])?.first?["comment"] as? [String: Any])?["id"] as? Int == replyId
            )
            #expect(
                try await client.request(.get, base + "/comment-threads").json()["totalNotDeletedComments"] as? Int == 3
            )
            // A deleted comment takes no replies.
            #expect(try await post("/comments/\(firstId)", #""late""#, token: bob).status == .notFound)

            // Bad input: no token, empty or oversized text, not JSON text, unknown ids, a reply's id as a thread.
            #expect(try await post("/comment-threads", #""anonymous""#, token: nil).status == .unauthorized)
            #expect(try await post("/comment-threads", #""   ""#, token: bob).status == .badRequest)
            let long = "\"" + String(repeating: "a", count: 10_001) + "\""
            #expect(try await post("/comment-threads", long, token: bob).status == .badRequest)
            #expect(try await post("/comment-threads", "12", token: bob).status == .badRequest)
            #expect(try await post("/comments/999999", #""x""#, token: bob).status == .notFound)
            #expect(try await client.request(.get, base + "/comment-threads/\(replyId)").status == .notFound)
            #expect(try await client.request(.get, base + "/comment-threads?sort=bogus").status == .badRequest)
            let unknownVideo = try await client.request(.get, "/api/v1/videos/\(UUID().uuidString)/comment-threads")
            #expect(unknownVideo.status == .notFound)
        }
    }

    @Test("comments policy: disabled refuses (409) except for the owner; requires approval holds until approved")
    func policy() async throws {
        let instance = try await TestInstance()
        defer { instance.remove() }
        let video = try await VideosTests.makeVideo(instance, owner: "root", name: "moderated")
        var changed = video
        changed.commentsPolicy = .disabled
        try await instance.stores.videos.update(changed)
        try await instance.withClient { client in
            let root = try await client.login("root", TestInstance.rootPassword)
            let alice = try await client.createUser("alice", adminToken: root)
            let bob = try await client.createUser("bob", adminToken: root)
            let base = "/api/v1/videos/\(video.id)"
            let disabled = try await client.request(
                .post, base + "/comment-threads", token: alice, json: #"{"text":"hello"}"#)
            #expect(disabled.status == .conflict, "\(String(buffer: disabled.body))")

            var held = video
            held.commentsPolicy = .requiresApproval
            try await instance.stores.videos.update(held)
            let posted = try await client.request(
                .post, base + "/comment-threads", token: alice, json: #"{"text":"please approve"}"#)
            let heldComment = try #require(try posted.json()["comment"] as? [String: Any])
            #expect(heldComment["heldForReview"] as? Bool == true)
            let heldId = try #require(heldComment["id"] as? Int)
            // Hidden from others, shown to its author and the video's owner.
            #expect(try await client.request(.get, base + "/comment-threads").json()["total"] as? Int == 0)
            #expect(try await client.request(.get, base + "/comment-threads", token: bob).json()["total"] as? Int == 0)
            #expect(
                try await client.request(.get, base + "/comment-threads", token: alice).json()["total"] as? Int == 1)
            #expect(try await client.request(.get, base + "/comment-threads", token: root).json()["total"] as? Int == 1)
            #expect(
                try await client.request(.post, base + "/comments/\(heldId)/approve", token: bob).status == .forbidden)
            #expect(
                try await client.request(.post, base + "/comments/\(heldId)/approve", token: root).status == .noContent)
            let approved = try await client.request(.get, base + "/comment-threads").jsonArray("data")
            #expect(approved.first?["heldForReview"] as? Bool == false)
        }
    }

    @Test("Mastodon's HTML content becomes plain text")
    func plainText() throws {
        let html =
            #"<p><span class="h-card"><a href="http://localhost:9000/accounts/ronan" class="u-url mention">@<span>ronan</span></a></span> zerg</p>"#
        #expect(CommentText.plain(fromHTML: html) == "@ronan zerg")
        #expect(CommentText.plain(fromHTML: "<p>a &amp; b<br>c</p><p>d &lt;3</p>") == "a & b\nc\n\nd <3")
        #expect(CommentText.plain(fromHTML: "<script>alert(1)</script>x") == "alert(1)x")
    }
}
