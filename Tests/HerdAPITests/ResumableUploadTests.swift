import Foundation
import HTTPTypes
import HerdApp
import HerdCore
import HerdCrypto
import HerdProcessing
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Resumable upload")
struct ResumableUploadTests {
    static let uploadPath = "/api/v1/videos/upload-resumable"

    static func initBody(channel: Int64, filename: String = "big.mp4", name: String = "Resumable video") -> String {
        #"{"name":"\#(name)","channelId":\#(channel),"filename":"\#(filename)","privacy":1}"#
    }

    /// Opens a session and returns its `upload_id` query.
    static func open(
        _ client: any TestClientProtocol, token: String, channel: Int64, size: Int, filename: String = "big.mp4"
    )
        async throws -> String
    {
        let response = try await client.request(
            .post, uploadPath, token: token, json: initBody(channel: channel, filename: filename),
            headers: [
                HTTPField.Name("X-Upload-Content-Length")!: String(size),
                HTTPField.Name("X-Upload-Content-Type")!: "video/mp4",
            ]
        )
        #expect(response.status == .created, "\(response.text)")
        let location = try #require(response.headers[.location])
        return try #require(location.split(separator: "?").last.map(String.init))
    }

    static func put(
        _ client: any TestClientProtocol, token: String, query: String, bytes: ArraySlice<UInt8>, start: Int, total: Int
    )
        async throws -> TestResponse
    {
        let end = start + bytes.count - 1
        return try await client.request(
            .put, "\(uploadPath)?\(query)", token: token,
            headers: [.contentRange: "bytes \(start)-\(end)/\(total)", .contentType: "application/octet-stream"],
            body: ByteBuffer(bytes: bytes)
        )
    }

    static func status(_ client: any TestClientProtocol, token: String, query: String, total: Int) async throws
        -> TestResponse
    {
        try await client.request(
            .put, "\(uploadPath)?\(query)", token: token, headers: [.contentRange: "bytes */\(total)"])
    }

    /// A file that starts as a real MP4 and is padded with random bytes to `size`.
    static func sourceFile(size: Int) throws -> [UInt8] {
        var bytes = try LegacyUploadTests.videoBytes()
        var generator = SystemRandomNumberGenerator()
        while bytes.count < size { bytes.append(UInt8.random(in: 0...255, using: &generator)) }
        return Array(bytes.prefix(size))
    }

    @Test("30 MB in 1 MB chunks survives a server restart and arrives intact")
    func restartMidUpload() async throws {
        let instance = try await TestInstance()
        defer { instance.remove() }
        let size = 30 * 1024 * 1024
        let chunk = 1024 * 1024
        let source = try Self.sourceFile(size: size)
        let channel = try await LegacyUploadTests.channelId(instance, "root")

        // First run of the server: open the session and send half the chunks.
        let (query, token) = try await instance.withClient(.live) { client in
            let token = try await client.login("root", TestInstance.rootPassword)
            let query = try await Self.open(client, token: token, channel: channel, size: size)
            for start in stride(from: 0, to: 15 * chunk, by: chunk) {
                let response = try await Self.put(
                    client, token: token, query: query, bytes: source[start..<start + chunk], start: start, total: size)
                #expect(response.status.code == 308)
                #expect(response.headers[.range] == "bytes=0-\(start + chunk - 1)")
            }
            return (query, token)
        }

        // A new server process on the same storage: ask where the upload stands, then finish it.
        let restarted = try await TestInstance(directory: instance.directory)
        let uuid = try await restarted.withClient(.live) { client in
            let status = try await Self.status(client, token: token, query: query, total: size)
            #expect(status.status.code == 308)
            #expect(status.headers[.range] == "bytes=0-\(15 * chunk - 1)")
            // A chunk that does not start where the upload stands is refused, with where it stands.
            let wrong = try await Self.put(
                client, token: token, query: query, bytes: source[0..<chunk], start: 20 * chunk, total: size)
            #expect(wrong.status == .conflict)
            #expect(wrong.headers[.range] == "bytes=0-\(15 * chunk - 1)")
            var last: TestResponse?
            for start in stride(from: 15 * chunk, to: size, by: chunk) {
                last = try await Self.put(
                    client, token: token, query: query, bytes: source[start..<start + chunk], start: start, total: size)
                if start + chunk < size { #expect(last?.status.code == 308) }
            }
            let done = try #require(last)
            #expect(done.status == .ok, "\(done.text)")
            let video = try #require(try done.json()["video"] as? [String: Any])
            return try #require(video["uuid"] as? String)
        }
        let stored = try #require(try await restarted.stored(.originals, "\(uuid).mp4"))
        #expect(stored.count == size)
        #expect(Digest.sha256(stored) == Digest.sha256(source))
        #expect(try FileManager.default.contentsOfDirectory(atPath: restarted.layout.resumableUploads).isEmpty)
        #expect(try await restarted.stores.uploads.find(id: String(query.dropFirst("upload_id=".count))) == nil)
    }

    @Test("protocol errors: unknown session, other user, wrong total, bad range, cancel")
    func protocolErrors() async throws {
        let instance = try await TestInstance()
        defer { instance.remove() }
        let source = try Self.sourceFile(size: 100_000)
        let channel = try await LegacyUploadTests.channelId(instance, "root")
        try await instance.withClient { client in
            let admin = try await client.login("root", TestInstance.rootPassword)
            let other = try await client.createUser("other", adminToken: admin)
            let query = try await Self.open(client, token: admin, channel: channel, size: source.count)

            #expect(
                try await Self.status(client, token: admin, query: "upload_id=nope", total: source.count).status
                    == .notFound)
            #expect(try await Self.status(client, token: other, query: query, total: source.count).status == .notFound)
            let noRange = try await Self.status(client, token: admin, query: query, total: source.count)
            #expect(noRange.status.code == 308)
            #expect(noRange.headers[.range] == nil)
            let wrongTotal = try await Self.put(
                client, token: admin, query: query, bytes: source[0..<1000], start: 0, total: 5)
            #expect(wrongTotal.status == .badRequest)
            let garbage = try await client.request(
                .put, "\(Self.uploadPath)?\(query)", token: admin, headers: [.contentRange: "bytes nonsense"],
                body: ByteBuffer(bytes: source[0..<10])
            )
            #expect(garbage.status == .badRequest)
            // The body is longer than the range says.
            let lying = try await client.request(
                .put, "\(Self.uploadPath)?\(query)", token: admin,
                headers: [.contentRange: "bytes 0-9/\(source.count)"],
                body: ByteBuffer(bytes: source[0..<20])
            )
            #expect(lying.status == .conflict)
            let first = try await Self.put(
                client, token: admin, query: query, bytes: source[0..<50_000], start: 0, total: source.count)
            #expect(first.status.code == 308)
            // Retrying a chunk already received answers with where the upload stands.
            let retry = try await Self.put(
                client, token: admin, query: query, bytes: source[0..<50_000], start: 0, total: source.count)
            #expect(retry.status.code == 308)
            #expect(retry.headers[.range] == "bytes=0-49999")
            // Opening the same file again resumes the same session.
            let again = try await client.request(
                .post, Self.uploadPath, token: admin, json: Self.initBody(channel: channel),
                headers: [HTTPField.Name("X-Upload-Content-Length")!: String(source.count)]
            )
            #expect(again.status == .ok)
            #expect(again.headers[.location]?.hasSuffix(query) == true)
            #expect(again.headers[.range] == "bytes=0-49999")

            #expect(try await client.request(.delete, "\(Self.uploadPath)?\(query)", token: other).status == .notFound)
            #expect(try await client.request(.delete, "\(Self.uploadPath)?\(query)", token: admin).status == .noContent)
            #expect(try await Self.status(client, token: admin, query: query, total: source.count).status == .notFound)
        }
        #expect(try await LegacyUploadTests.leftovers(instance).isEmpty)
    }

    @Test("init refuses before any byte: quota, size limit, bad metadata")
    func initChecks() async throws {
        let instance = try await TestInstance { $0["upload.max_file_size"] = "1MB" }
        defer { instance.remove() }
        let rootChannel = try await LegacyUploadTests.channelId(instance, "root")
        try await instance.withClient { client in
            let admin = try await client.login("root", TestInstance.rootPassword)
            let small = try await client.createUser("small", quota: 5000, adminToken: admin)
            let smallChannel = try await LegacyUploadTests.channelId(instance, "small")
            func open(_ token: String, _ body: String, size: Int?) async throws -> TestResponse {
                var headers: HTTPFields = [:]
                if let size { headers[HTTPField.Name("X-Upload-Content-Length")!] = String(size) }
                return try await client.request(.post, Self.uploadPath, token: token, json: body, headers: headers)
            }
            let quota = try await open(small, Self.initBody(channel: smallChannel), size: 6000)
            #expect(quota.status == .contentTooLarge)
            #expect(try quota.json()["code"] as? String == "quota_reached")
            let tooBig = try await open(admin, Self.initBody(channel: rootChannel), size: 2 * 1024 * 1024)
            #expect(tooBig.status == .contentTooLarge)
            #expect(try tooBig.json()["code"] as? String == "max_file_size_reached")
            #expect(try await open(admin, Self.initBody(channel: rootChannel), size: nil).status == .badRequest)
            #expect(
                try await open(admin, Self.initBody(channel: rootChannel, name: "x"), size: 100).status == .badRequest)
            #expect(
                try await open(admin, Self.initBody(channel: rootChannel, filename: "a.exe"), size: 100).status
                    == .unsupportedMediaType)
            #expect(try await open(admin, Self.initBody(channel: smallChannel), size: 100).status == .forbidden)
            #expect(try await open(admin, #"{"name":"no file name","channelId":1}"#, size: 100).status == .badRequest)
            // Two sessions may not reserve more than the quota together.
            _ = try await Self.open(client, token: small, channel: smallChannel, size: 3000, filename: "one.mp4")
            let second = try await open(small, Self.initBody(channel: smallChannel, filename: "two.mp4"), size: 3000)
            #expect(second.status == .contentTooLarge)
        }
    }

    @Test("a finished upload that is not a video is refused and removed")
    func notAVideo() async throws {
        let instance = try await TestInstance()
        defer { instance.remove() }
        let channel = try await LegacyUploadTests.channelId(instance, "root")
        let text = Array(String(repeating: "definitely not a video\n", count: 100).utf8)
        try await instance.withClient { client in
            let token = try await client.login("root", TestInstance.rootPassword)
            let query = try await Self.open(
                client, token: token, channel: channel, size: text.count, filename: "fake.mp4")
            let response = try await Self.put(
                client, token: token, query: query, bytes: text[...], start: 0, total: text.count)
            #expect(response.status == .unprocessableContent)
            #expect(try response.json()["code"] as? String == "invalid_video_file")
            #expect(
                try await client.request(.get, "/api/v1/users/me/videos", token: token).json()["total"] as? Int == 0)
        }
        #expect(try await LegacyUploadTests.leftovers(instance).isEmpty)
    }
}

@Suite("Upload janitor")
struct UploadJanitorTests {
    @Test("idle sessions expire with their files; orphan files go; active sessions stay")
    func expiry() async throws {
        let clock = ManualWallClock()
        let instance = try await TestInstance(clock: clock)
        defer { instance.remove() }
        let channel = try await LegacyUploadTests.channelId(instance, "root")
        let source = try ResumableUploadTests.sourceFile(size: 20_000)
        let (idle, active) = try await instance.withClient { client in
            let token = try await client.login("root", TestInstance.rootPassword)
            let idle = try await ResumableUploadTests.open(
                client, token: token, channel: channel, size: 20_000, filename: "idle.mp4")
            _ = try await ResumableUploadTests.put(
                client, token: token, query: idle, bytes: source[0..<10_000], start: 0, total: 20_000)
            clock.advance(by: 3000)
            let active = try await ResumableUploadTests.open(
                client, token: token, channel: channel, size: 20_000, filename: "active.mp4")
            _ = try await ResumableUploadTests.put(
                client, token: token, query: active, bytes: source[0..<10_000], start: 0, total: 20_000)
            return (String(idle.dropFirst("upload_id=".count)), String(active.dropFirst("upload_id=".count)))
        }
        let orphan = instance.layout.resumableUploads + "/orphan"
        #expect(FileManager.default.createFile(atPath: orphan, contents: Data("x".utf8)))
        clock.advance(by: 1000)  // idle: 4000 s without a chunk; active: 1000 s
        try await UploadJanitor(
            stores: instance.stores, layout: instance.layout, expiry: instance.settings.resumableUploadExpiry,
            clock: instance.herd.processing.clock, logger: instance.herd.logger
        ).sweep()
        #expect(try await instance.stores.uploads.find(id: idle) == nil)
        #expect(!FileManager.default.fileExists(atPath: instance.layout.resumableUpload(id: idle)))
        #expect(try await instance.stores.uploads.find(id: active) != nil)
        #expect(FileManager.default.fileExists(atPath: instance.layout.resumableUpload(id: active)))
        #expect(!FileManager.default.fileExists(atPath: orphan))
    }
}
