import Foundation
import HerdApp
import HerdCore
import HerdProcessing
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Uploads streaming in one request hold their size against the quota (issue 14), so two at once cannot both fit
/// a quota that holds only one.
@Suite("Upload quota reservations")
struct UploadQuotaTests {
    @Test("an upload in flight holds its bytes: the quota left to others shrinks, and a file past it is refused")
    func reservations() async throws {
        let instance = try await TestInstance()
        defer { instance.remove() }
        let processing = instance.herd.processing
        try await instance.withClient { client in
            let admin = try await client.login("root", TestInstance.rootPassword)
            let token = try await client.createUser("small", quota: 100_000, adminToken: admin)
            let user = try #require(try await instance.stores.users.find(usernameOrEmail: "small"))
            let ingest = processing.ingest
            #expect(try await ingest.remainingQuota(for: user) == 100_000)
            let held = processing.uploadReservations.reserve(userId: user.id, bytes: 80_000)
            #expect(try await ingest.remainingQuota(for: user) == 20_000)
            #expect(try await ingest.remainingQuota(for: user, reservation: held) == 100_000)

            // Meanwhile another upload (the 38 kB clip, which fits the quota alone) does not fit what is left.
            var body = MultipartBody()
            body.field("name", "Second at once")
            body.field("channelId", String(try await LegacyUploadTests.channelId(instance, "small")))
            body.file("videofile", filename: "b.mp4", data: try LegacyUploadTests.videoBytes())
            body.close()
            let second = try await client.request(
                .post, "/api/v1/videos/upload", token: token, headers: [.contentType: body.contentType],
                body: body.buffer)
            #expect(second.status == .contentTooLarge)
            #expect(try second.json()["code"] as? String == "quota_reached")
            processing.uploadReservations.release(held)
            #expect(try await ingest.remainingQuota(for: user) == 100_000)
        }
    }
}
