import Foundation
import FuzzSupport
import HerdCore

/// Job payloads as the workers read them back from the queue (issue 17's typed payloads): the bytes of a stored row,
/// which a damaged database or an older version may have left in any shape. The first byte picks the job's kind;
/// every payload that decodes must encode to a job that decodes to the same payload, and a signer that reads back
/// must be a local actor.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJobPayload(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    guard let first = bytes.first else { return 0 }
    let kinds = JobKind.allCases
    let kind = kinds[Int(first) % kinds.count]
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let job = Job(
        id: 1, kind: kind.rawValue, payload: Data(bytes.dropFirst()), state: .running, attempts: 1, maxAttempts: 3,
        runAfter: now, createdAt: now, updatedAt: now)
    func roundTrip<P: JobPayload & Equatable>(_: P.Type) {
        guard let payload = try? P(of: job) else { return }
        guard
            let again = try? P(
                of: Job(
                    id: 2, kind: P.kind.rawValue, payload: NewJob(payload, runAfter: now, maxAttempts: 3).payload,
                    state: .pending, attempts: 0, maxAttempts: 3, runAfter: now, createdAt: now, updatedAt: now))
        else { fatalError("a payload that decoded did not survive its own encoding") }
        precondition(again == payload, "a payload changed through its own encoding")
    }
    roundTrip(TranscodeVideoPayload.self)
    roundTrip(CopyVideoPayload.self)
    roundTrip(BackfillOutboxPayload.self)
    roundTrip(DeliverActivityPayload.self)
    if let delivery = try? DeliverActivityPayload(of: job), let actor = delivery.signerActor {
        precondition(DeliverActivityPayload(inbox: "", activity: "", signer: actor).signerActor == actor)
    }
    return 0
}

@main enum FuzzJobPayloadMain {
    static func main() { runFuzzer() }
}
