import Foundation
import HerdCore
import Testing

@Suite("Job kinds and their payloads")
struct JobKindTests {
    static func job(_ new: NewJob) -> Job {
        Job(
            id: 1, kind: new.kind, payload: new.payload, state: .pending, attempts: 0, maxAttempts: new.maxAttempts,
            runAfter: new.runAfter, createdAt: new.runAfter, updatedAt: new.runAfter)
    }

    @Test("kinds carry PeerTube's job type names")
    func names() {
        #expect(
            JobKind.allCases.map(\.rawValue) == [
                "video-transcoding", "video-redundancy", "activitypub-http-unicast", "activitypub-outbox-backfill",
            ])
    }

    @Test("each payload goes into a job of its kind and comes back out unchanged")
    func roundTrip() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let uuid = UUID(uuidString: "8F3C2A6E-0D1B-4C5A-9E7F-112233445566")!
        let transcode = try NewJob(TranscodeVideoPayload(videoUUID: uuid), runAfter: now, maxAttempts: 3)
        #expect(transcode.kind == "video-transcoding")
        // The stored form older rows have: lowercase UUID under "videoUUID".
        #expect(
            String(decoding: transcode.payload, as: UTF8.self)
                == #"{"videoUUID":"8f3c2a6e-0d1b-4c5a-9e7f-112233445566"}"#)
        #expect(try TranscodeVideoPayload(of: Self.job(transcode)).videoUUID == uuid.lowercasedString)

        let delivery = DeliverActivityPayload(inbox: "https://b.example/inbox", activity: "{}", signer: .channel(4))
        let decoded = try DeliverActivityPayload(of: Self.job(try NewJob(delivery, runAfter: now, maxAttempts: 60)))
        #expect(decoded == delivery && decoded.signerActor == .channel(4))
        let copy = try NewJob(CopyVideoPayload(copyId: 9), runAfter: now, maxAttempts: 3)
        #expect(try CopyVideoPayload(of: Self.job(copy)).copyId == 9)
        let backfill = try NewJob(
            BackfillOutboxPayload(outbox: "https://b.example/outbox"), runAfter: now, maxAttempts: 5)
        #expect(try BackfillOutboxPayload(of: Self.job(backfill)).outbox == "https://b.example/outbox")
    }

    @Test("a payload is not read out of another kind's job, nor out of a malformed one")
    func mismatches() throws {
        let now = Date()
        let copy = Self.job(try NewJob(CopyVideoPayload(copyId: 9), runAfter: now, maxAttempts: 3))
        #expect(throws: HerdError.self) { try TranscodeVideoPayload(of: copy) }
        var broken = copy
        broken.payload = Data(#"{"copyId":"nine"}"#.utf8)
        #expect(throws: (any Error).self) { try CopyVideoPayload(of: broken) }
        #expect(DeliverActivityPayload(inbox: "i", activity: "a", signer: .account(1)).signerActor == .account(1))
        var forged = DeliverActivityPayload(inbox: "i", activity: "a", signer: .account(1))
        forged.signer = "user:1"
        #expect(forged.signerActor == nil)
    }
}
