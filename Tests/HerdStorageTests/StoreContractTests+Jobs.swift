import Foundation
import HerdCore
import Testing

/// The job queue, instance settings and actor keys, against every backend (issue 17: the contract covers every
/// store protocol before a second backend arrives).
@Suite("Store contract: jobs, settings, keys")
struct JobStoreContractTests {
    @Test(
        "jobs: claimed oldest first among due ones of the asked kinds, attempts counted, progress, settle, requeue",
        arguments: Backend.allCases)
    func jobs(backend: Backend) async throws {
        let (stores, cleanup) = try await backend.makeStores()
        defer { cleanup() }
        let jobs = stores.jobs
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let uuid = UUID()
        let transcode = try await jobs.enqueue(
            TranscodeVideoPayload(videoUUID: uuid), runAfter: now, maxAttempts: 3)
        let later = try await jobs.enqueue(CopyVideoPayload(copyId: 1), runAfter: now + 60, maxAttempts: 3)
        let copy = try await jobs.enqueue(CopyVideoPayload(copyId: 2), runAfter: now, maxAttempts: 3)
        #expect(transcode.state == .pending && transcode.attempts == 0 && transcode.kind == "video-transcoding")

        // Only asked kinds, only due jobs, oldest first; a claimed job is running and its attempt counted.
        #expect(try await jobs.claimNext(kinds: ["activitypub-http-unicast"], now: now) == nil)
        let first = try #require(try await jobs.claimNext(kinds: ["video-redundancy"], now: now))
        #expect(first.id == copy.id && first.state == .running && first.attempts == 1)
        #expect(try await jobs.claimNext(kinds: ["video-redundancy"], now: now) == nil)  // `later` is not due
        #expect(try await jobs.claimNext(kinds: ["video-redundancy"], now: now + 61)?.id == later.id)

        // Progress is kept only while a job runs.
        let running = try #require(try await jobs.claimNext(kinds: ["video-transcoding"], now: now))
        try await jobs.updateProgress(id: running.id, progress: 0.5, detail: Data(#"{"fps":30}"#.utf8), now: now)
        #expect(try await jobs.find(id: running.id)?.progress == 0.5)
        #expect(
            try await jobs.latest(kind: "video-transcoding", payloadContaining: uuid.lowercasedString)?.id == running.id
        )
        #expect(try await jobs.latest(kind: "video-transcoding", payloadContaining: "no-such-video") == nil)

        // Settled: completed is kept as RetryPolicy says; the other running jobs come back after a restart.
        let done = RetryPolicy().settle(running, outcome: .completed, now: now + 5)
        try await jobs.save(done)
        let saved = try #require(try await jobs.find(id: running.id))
        #expect(saved.state == .completed && saved.finishedAt != nil)
        try await jobs.updateProgress(id: running.id, progress: 0.9, detail: nil, now: now + 6)
        #expect(try await jobs.find(id: running.id)?.progress != 0.9)
        #expect(try await jobs.requeueInterrupted(now: now + 10) == 2)
        let requeued = try #require(try await jobs.find(id: copy.id))
        #expect(requeued.state == .pending && requeued.attempts == 1 && requeued.lastError != nil)

        // Lists: by state and kind, newest first, with totals.
        let pending = try await jobs.list(state: .pending, kind: nil, pagination: Pagination(start: 0, count: 1))
        #expect(pending.total == 2 && pending.data.map(\.id) == [copy.id])  // the newest
        let copies = try await jobs.list(state: nil, kind: "video-redundancy", pagination: Pagination())
        #expect(copies.total == 2 && Set(copies.data.map(\.id)) == [copy.id, later.id])
        #expect(try await jobs.find(id: 9999) == nil)
    }

    @Test("instance settings: none at first, saved and read back, cleared", arguments: Backend.allCases)
    func instanceSettings(backend: Backend) async throws {
        let (stores, cleanup) = try await backend.makeStores()
        defer { cleanup() }
        #expect(try await stores.instanceSettings.overrides() == InstanceOverrides())
        try await stores.instanceSettings.save(InstanceOverrides(signupEnabled: true))
        #expect(try await stores.instanceSettings.overrides().signupEnabled == true)
        try await stores.instanceSettings.save(InstanceOverrides(signupEnabled: false))
        #expect(try await stores.instanceSettings.overrides().signupEnabled == false)
        try await stores.instanceSettings.save(InstanceOverrides())
        #expect(try await stores.instanceSettings.overrides() == InstanceOverrides())
    }

    @Test(
        "actor keys: set once per actor, the first pair kept; actors without keys listed", arguments: Backend.allCases)
    func actorKeys(backend: Backend) async throws {
        let (stores, cleanup) = try await backend.makeStores()
        defer { cleanup() }
        let alice = try await stores.users.create(StoreContractTests.newUser("alice"))
        let account = LocalActor.account(alice.account.id)
        let channel = LocalActor.channel(alice.channels[0].id)
        #expect(Set(try await stores.actorKeys.actorsWithoutKeys()).isSuperset(of: [account, channel]))
        #expect(try await stores.actorKeys.keys(for: account) == nil)

        let first = ActorKeyPair(publicKeyPEM: "public-1", privateKeyPEM: "private-1")
        #expect(try await stores.actorKeys.setKeysIfMissing(first, for: account) == first)
        let second = ActorKeyPair(publicKeyPEM: "public-2", privateKeyPEM: "private-2")
        #expect(try await stores.actorKeys.setKeysIfMissing(second, for: account) == first)
        #expect(try await stores.actorKeys.keys(for: account) == first)
        #expect(try await stores.actorKeys.keys(for: channel) == nil)
        let missing = try await stores.actorKeys.actorsWithoutKeys()
        #expect(!missing.contains(account) && missing.contains(channel))
    }
}
