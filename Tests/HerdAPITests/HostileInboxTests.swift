import Foundation
import HTTPTypes
import HerdAPI
import HerdApp
import HerdCore
import HerdCrypto
import HerdFederation
import HerdProcessing
import HerdTestSupport
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Signed activities carrying absurd numbers, strings and lists: each is accepted or refused with a status, never
/// trapped on, and what is stored stays within its limits (issue 14).
@Suite("Inbox: hostile input")
struct HostileInboxTests {
    typealias Verbs = InboxVerbTests

    /// POSTs raw bytes (numbers JSONValue would not print, such as 2^63 written out) signed by `signer`.
    static func post(_ client: any TestClientProtocol, raw body: [UInt8], by signer: RemoteIdentity) async throws
        -> TestResponse
    {
        var fields: HTTPFields = [.contentType: "application/activity+json"]
        for header in try HTTPSignature.sign(
            method: "POST", target: "/inbox", host: "localhost", body: body, keyID: signer.url + "#main-key",
            key: signer.key, now: Int(Date().timeIntervalSince1970))
        where header.name != "Host" {
            fields[HTTPField.Name(header.name)!] = header.value
        }
        return try await client.execute(uri: "/inbox", method: .post, headers: fields, body: ByteBuffer(bytes: body))
    }

    /// `value` with `fields` replaced (a path of keys into nested objects, and a raw JSON number as text).
    static func replacing(_ json: String, _ placeholder: String, with number: String) -> [UInt8] {
        Array(json.replacingOccurrences(of: "\"\(placeholder)\"", with: number).utf8)
    }

    /// Runs `body` against the real router of a fresh inbox setup, with the local video's ActivityPub URL.
    static func withInbox(
        _ body:
            @Sendable (_ client: any TestClientProtocol, _ setup: Verbs.Setup, _ videoURL: String) async throws
            -> Void
    ) async throws {
        let setup = try await Verbs.setUp()
        defer { setup.instance.remove() }
        let app = Application(router: setup.instance.herd.router())
        let videoURL = "http://localhost/videos/watch/\(setup.localVideo.uuid.uuidString.lowercased())"
        try await app.test(.router) { client in try await body(client, setup, videoURL) }
    }

    static let absurdNumbers = [
        "1e300", "-1e300", "9223372036854775808", "-9223372036854775809", "18446744073709551616", "1.5", "-0",
        "1e-300", "123456789012345678901234567890",
    ]

    @Test("absurd numbers in View, Video and CacheFile leave the server answering, and nothing absurd is stored")
    func absurdNumbers() async throws {
        try await Self.withInbox { client, setup, videoURL in
            let (video, bob) = (setup.localVideo, setup.bob)
            _ = await setup.processing.interactions.drain()
            for (index, number) in Self.absurdNumbers.enumerated() {
                let view = Activities.views(
                    id: "\(bob.url)/views/x\(index)", actor: bob.url, object: videoURL, count: 0)
                let text = String(decoding: view.serialized, as: UTF8.self).replacingOccurrences(
                    of: "\"userInteractionCount\":0", with: "\"userInteractionCount\":\(number)")
                #expect(try await Self.post(client, raw: Array(text.utf8), by: bob).status == .accepted)
            }
            // None of them is a count of views; an honest one still is.
            let honest = Activities.views(id: "\(bob.url)/views/honest", actor: bob.url, object: videoURL, count: 3)
            #expect(try await Verbs.post(client, honest, by: bob).status == .accepted)
            #expect(await setup.processing.interactions.drain().views == [video.id: 3])

            // A remote Video whose every number is absurd is stored with sane ones (or refused), never trapped on.
            for (index, number) in Self.absurdNumbers.enumerated() {
                let uuid = String(format: "aaaaaaaa-2222-4333-8444-%012d", index)
                var object = Verbs.video(uuid, name: "Absurd \(index)")
                if case .object(var fields) = object {
                    fields["views"] = "NUMBER"
                    fields["commentsPolicy"] = "NUMBER"
                    fields["duration"] = .string("PT\(number)S")
                    fields["url"] = [
                        [
                            "type": "Link", "mediaType": "video/mp4",
                            "href": .string("\(Verbs.remote)/static/web-videos/\(uuid)-720.mp4"),
                            "height": "NUMBER", "width": "NUMBER", "size": "NUMBER", "fps": "NUMBER",
                        ]
                    ]
                    object = .object(fields)
                }
                let create = Activities.wrap(
                    .create, id: "\(Verbs.remote)/videos/watch/\(uuid)/activity", actor: bob.url, object: object)
                let body = Self.replacing(
                    String(decoding: create.serialized, as: UTF8.self), "NUMBER", with: number)
                let status = try await Self.post(client, raw: body, by: bob).status
                #expect(status == .accepted || status == .badRequest, "\(number): \(status)")
                if let stored = try await setup.processing.stores.videos.find(.uuid(UUID(uuidString: uuid)!)) {
                    #expect((0...VideoObject.maxDuration).contains(stored.video.duration))
                    #expect(stored.video.views >= 0)
                }
                let listed = try await client.request(.get, "/api/v1/videos/\(uuid)")
                #expect(listed.status == .ok || listed.status == .notFound)
            }
            #expect(try await client.request(.get, "/api/v1/config").status == .ok)
        }
    }

    @Test("a megabyte of '<' in a report or a comment is read once and cut")
    func hostileHTML() async throws {
        try await Self.withInbox { client, setup, videoURL in
            let bob = setup.bob
            let lessThans = String(repeating: "<", count: 1_000_000)
            let flag = Activities.flag(
                id: "\(Verbs.remote)/abuses/big", actor: bob.url, object: videoURL, content: lessThans)
            #expect(try await Verbs.post(client, flag, by: bob).status == .accepted)
            let root = try await client.login("root", TestInstance.rootPassword)
            let abuses = try await client.request(.get, "/api/v1/abuses", token: root).jsonArray("data")
            let reason = try #require(abuses.first?["reason"] as? String)
            #expect(reason.count == Abuse.maxReasonLength && reason.allSatisfy { $0 == "<" })

            let noteURL = "\(Verbs.remote)/accounts/bob/notes/big"
            let note: JSONValue = [
                "type": "Note", "id": .string(noteURL), "attributedTo": .string(bob.url),
                "inReplyTo": .string(videoURL), "content": .string(String(repeating: "<a ", count: 300_000)),
                "published": "2026-01-02T03:04:05Z", "to": [.string(ActivityContext.publicAudience)],
            ]
            let create = Activities.wrap(.create, id: noteURL + "/activity", actor: bob.url, object: note)
            #expect(try await Verbs.post(client, create, by: bob).status == .accepted)
            let text = try await setup.processing.stores.comments.find(url: noteURL)?.comment.text
            #expect(text?.count == CommentText.maxLength)
            #expect(try await client.request(.get, "/api/v1/config").status == .ok)
        }
    }

    @Test("ids, signatures and dates past their limits are refused with a status")
    func oversized() async throws {
        try await Self.withInbox { client, setup, _ in
            let bob = setup.bob
            let longID = bob.url + "/likes/" + String(repeating: "x", count: 5000)
            let like = Activities.rate(.like, id: longID, actor: bob.url, object: "http://localhost/videos/watch/x")
            #expect(try await Verbs.post(client, like, by: bob).status == .badRequest)
            // A Signature header whose created time is Int.min (once an overflow in the date window).
            var fields: HTTPFields = [.contentType: "application/activity+json"]
            fields[HTTPField.Name("Signature")!] =
                "keyId=\"\(bob.url)#main-key\",headers=\"(created)\",created=-9223372036854775808,signature=\"AAAA\""
            let response = try await client.execute(
                uri: "/inbox", method: .post, headers: fields, body: ByteBuffer(bytes: Array("{}".utf8)))
            #expect(response.status == .unauthorized)
            #expect(try await client.request(.get, "/api/v1/config").status == .ok)
        }
    }
}

/// Forms from clients are bounded too: a body of many fields is refused in time proportional to its size.
@Suite("Hostile forms")
struct HostileFormTests {
    @Test("an urlencoded or multipart update with 200,000 fields is refused with 400")
    func manyFields() async throws {
        let instance = try await TestInstance()
        defer { instance.remove() }
        let video = try await VideosTests.makeVideo(instance, owner: "root", name: "Form target")
        try await instance.withClient { client in
            let root = try await client.login("root", TestInstance.rootPassword)
            let form = (0..<200_000).map { "f\($0)=x" }.joined(separator: "&")
            let urlencoded = try await client.request(
                .put, "/api/v1/videos/\(video.id)", token: root,
                headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: form))
            #expect(urlencoded.status == .badRequest, "\(urlencoded.text)")
            var multipart = MultipartBody()
            for index in 0..<2_000 { multipart.field("f\(index)", "x") }
            multipart.close()
            let parts = try await client.request(
                .put, "/api/v1/videos/\(video.id)", token: root, headers: [.contentType: multipart.contentType],
                body: multipart.buffer)
            #expect(parts.status == .badRequest, "\(parts.text)")
            // An honest form still works.
            let honest = try await client.request(
                .put, "/api/v1/videos/\(video.id)", token: root,
                headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: "name=Renamed"))
            #expect(honest.status == .noContent)
        }
    }
}
