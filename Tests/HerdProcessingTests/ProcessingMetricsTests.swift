import Foundation
import HerdCore
import HerdFederation
import HerdProcessing
import HerdTranscode
import Logging
import MetricsTestKit
import Testing

/// What the workers report to `/metrics` (issue 18): a transcode's speed, deliveries by host and result.
@Suite("Processing metrics")
struct ProcessingMetricsTests {
    /// Reports the given speeds, then fails as a transcode that went wrong does.
    struct ReportingEngine: MediaEngine {
        var speeds: [Double]
        func transcode(_ request: MediaJob.Request, progress: @escaping @Sendable (TranscodeProgress) -> Void)
            async throws -> TranscodeOutcome
        {
            for (index, fps) in speeds.enumerated() {
                progress(TranscodeProgress(percent: Double(index + 1), fps: fps, eta: nil))
            }
            return .failed("stopped by the test")
        }
    }

    /// Answers each delivery as told: nil delivers, else throws the failure.
    struct ScriptedDeliverer: ActivityPubDeliverer {
        struct Failure: DeliveryFailure { var retryable: Bool }
        var failure: Failure?
        func deliver(_ activity: [UInt8], to inbox: String, signer: FederationSigner) async throws {
            if let failure { throw failure }
        }
    }

    @Test("a transcode's progress sets herd_transcoding_fps, back to 0 when it ends")
    func transcodingSpeed() async throws {
        let harness = try await ProcessingHarness()
        defer { harness.remove() }
        let processing = harness.processing
        let video = try await harness.video(of: try await harness.user("alice"), "Clip")
        try await processing.media.write(.originals, video.video.uuid.lowercasedString + ".mp4", bytes: [0])
        let metrics = TestMetrics()
        let job = TranscodeVideoJob(
            stores: processing.stores, media: processing.media, engine: ReportingEngine(speeds: [24, 31.5]),
            peers: PeerDeliveryDisabled(), federation: processing.videoFederation, locks: processing.videoLocks,
            events: processing.events, settings: processing.settings.transcoding, scratchFolder: processing.layout.tmp,
            clock: processing.clock, logger: Logger(label: "test"),
            metrics: ProcessingMetrics(factory: metrics))
        let claimed = try await Self.claim(TranscodeVideoPayload(videoUUID: video.video.uuid), processing.stores)
        await #expect(throws: (any Error).self) { try await job.run(claimed.job, progress: claimed.progress) }
        #expect(try metrics.expectGauge("herd_transcoding_fps").values == [24, 31.5, 0])
    }

    @Test("each delivery is counted by the inbox's host and its result")
    func deliveries() async throws {
        let harness = try await ProcessingHarness()
        defer { harness.remove() }
        let processing = harness.processing
        let alice = try await harness.user("alice")
        let metrics = TestMetrics()
        let signer = LocalActor.account(alice.account.id)
        for (inbox, failure) in [
            ("https://one.example/inbox", nil),
            ("https://one.example/inbox", ScriptedDeliverer.Failure(retryable: false)),
            ("https://two.example:8443/inbox", ScriptedDeliverer.Failure(retryable: true)),
        ] as [(String, ScriptedDeliverer.Failure?)] {
            let job = DeliverActivityJob(
                actors: processing.actors, client: ScriptedDeliverer(failure: failure),
                gate: DeliveryGate(clock: SystemWallClock(), logger: Logger(label: "test")),
                metrics: ProcessingMetrics(factory: metrics))
            let claimed = try await Self.claim(
                DeliverActivityPayload(inbox: inbox, activity: "{}", signer: signer), processing.stores)
            _ = try? await job.run(claimed.job, progress: claimed.progress)
        }
        for (host, result) in [
            ("one.example", "delivered"), ("one.example", "refused"), ("two.example:8443", "failed"),
        ] {
            let counter = try metrics.expectCounter(
                "herd_federation_deliveries_total", [("host", host), ("result", result)])
            #expect(counter.values == [1], "\(host) \(result)")
        }
    }

    /// `payload` queued and claimed, as a worker gets it.
    static func claim<Payload: JobPayload>(_ payload: Payload, _ stores: Stores) async throws
        -> (job: Job, progress: JobProgress)
    {
        _ = try await stores.jobs.enqueue(
            kind: Payload.kind.rawValue, payload: try JSONEncoder().encode(payload), runAfter: Date(), maxAttempts: 1)
        let job = try #require(
            try await stores.jobs.claimNext(kinds: [Payload.kind.rawValue], holder: "test", lease: 60, now: Date()))
        let lease = try #require(job.lease)
        return (
            job,
            JobProgress(store: stores.jobs, jobId: job.id, lease: lease, leaseDuration: 60, clock: SystemWallClock())
        )
    }
}
