import Foundation
import HerdCore
import Testing

/// The job queue, instance settings and actor keys, against every backend (issue 17: the contract covers every
/// store protocol before a second backend arrives).
@Suite("Store contract: jobs, settings, keys")
struct JobStoreContractTests {
    @Test(
        "jobs: claimed oldest first among due ones of the asked kinds, leased, progress and outcome fenced by the lease",
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
        #expect(transcode.lease == nil)
        func claim(_ kind: String, by holder: String = "node-1", at time: Date = now) async throws -> Job? {
            try await jobs.claimNext(kinds: [kind], holder: holder, lease: 30, now: time)
        }

        // Only asked kinds, only due jobs, oldest first; a claimed job is running, leased, its attempt counted.
        #expect(try await claim("activitypub-http-unicast") == nil)
        let first = try #require(try await claim("video-redundancy"))
        #expect(first.id == copy.id && first.state == .running && first.attempts == 1)
        let firstLease = try #require(first.lease)
        #expect(firstLease.holder == "node-1" && firstLease.expiresAt == now + 30)
        #expect(try await jobs.find(id: first.id)?.lease == firstLease)
        #expect(try await claim("video-redundancy") == nil)  // `later` is not due
        #expect(try await claim("video-redundancy", at: now + 61)?.id == later.id)

        // The heartbeat renews the lease and records progress, only for the token that holds it.
        let running = try #require(try await claim("video-transcoding"))
        let lease = try #require(running.lease)
        #expect(
            try await jobs.heartbeat(
                lease, jobId: running.id, progress: 50, detail: Data(#"{"fps":30}"#.utf8), until: now + 40, now: now))
        let beaten = try #require(try await jobs.find(id: running.id))
        #expect(beaten.progress == 50 && beaten.progressDetail == Data(#"{"fps":30}"#.utf8))
        #expect(beaten.lease?.expiresAt == now + 40)
        // A beat without news keeps the progress.
        #expect(
            try await jobs.heartbeat(lease, jobId: running.id, progress: nil, detail: nil, until: now + 45, now: now))
        #expect(try await jobs.find(id: running.id)?.progress == 50)
        var forged = lease
        forged.token = UUID()
        #expect(
            try await !jobs.heartbeat(forged, jobId: running.id, progress: 99, detail: nil, until: now + 90, now: now))
        #expect(try await jobs.find(id: running.id)?.progress == 50)
        #expect(
            try await jobs.latest(kind: "video-transcoding", payloadContaining: uuid.lowercasedString)?.id == running.id
        )
        #expect(try await jobs.latest(kind: "video-transcoding", payloadContaining: "no-such-video") == nil)

        // Settled under its lease: written once; the lease is gone after.
        let done = RetryPolicy().settle(running, outcome: .completed, now: now + 5)
        #expect(try await jobs.settle(done))
        let saved = try #require(try await jobs.find(id: running.id))
        #expect(saved.state == .completed && saved.finishedAt != nil && saved.lease == nil)
        #expect(try await !jobs.settle(done))
        #expect(
            try await !jobs.heartbeat(lease, jobId: running.id, progress: 90, detail: nil, until: now + 9, now: now))
        #expect(try await jobs.find(id: running.id)?.progress == 100)

        // Expired leases go back to the queue (attempt kept); the late holder then changes nothing.
        #expect(try await jobs.reapExpiredLeases(now: now + 29).isEmpty)
        let reaped = try await jobs.reapExpiredLeases(now: now + 31)
        #expect(reaped.map(\.id) == [copy.id])  // `later` was claimed at now + 61: its lease holds until now + 91
        #expect(reaped.first?.lease?.holder == "node-1")
        let requeued = try #require(try await jobs.find(id: copy.id))
        #expect(requeued.state == .pending && requeued.attempts == 1 && requeued.lease == nil)
        #expect(requeued.lastError?.contains("node-1") == true)
        #expect(try await !jobs.settle(RetryPolicy().settle(first, outcome: .completed, now: now + 32)))
        #expect(try await jobs.find(id: copy.id)?.state == .pending)
        // Another node takes it under a new token.
        let retaken = try #require(try await claim("video-redundancy", by: "node-2", at: now + 32))
        #expect(retaken.id == copy.id && retaken.attempts == 2 && retaken.lease?.token != firstLease.token)

        // A stopping worker hands its job back at once; a stale token cannot.
        try await jobs.release(firstLease, jobId: copy.id, now: now + 33)
        #expect(try await jobs.find(id: copy.id)?.state == .running)
        try await jobs.release(try #require(retaken.lease), jobId: copy.id, now: now + 33)
        let released = try #require(try await jobs.find(id: copy.id))
        #expect(released.state == .pending && released.attempts == 2 && released.lease == nil)

        // Lists: by state and kind, newest first, with totals.
        let pending = try await jobs.list(state: .pending, kind: nil, pagination: Pagination(start: 0, count: 1))
        #expect(pending.total == 1 && pending.data.map(\.id) == [copy.id])
        let copies = try await jobs.list(state: nil, kind: "video-redundancy", pagination: Pagination())
        #expect(copies.total == 2 && Set(copies.data.map(\.id)) == [copy.id, later.id])
        #expect(try await jobs.find(id: 9999) == nil)
    }

    @Test("four workers claiming at once take each of 200 jobs exactly once", arguments: Backend.allCases)
    func concurrentClaims(backend: Backend) async throws {
        let (stores, cleanup) = try await backend.makeStores()
        defer { cleanup() }
        let now = Date()
        for index in 0..<200 {
            _ = try await stores.jobs.enqueue(CopyVideoPayload(copyId: Int64(index)), runAfter: now, maxAttempts: 3)
        }
        let claimed = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for worker in 0..<4 {
                group.addTask {
                    var mine: [Int64] = []
                    while let job = try await stores.jobs.claimNext(
                        kinds: ["video-redundancy"], holder: "w\(worker)", lease: 60, now: now)
                    {
                        mine.append(job.id)
                    }
                    return mine
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(claimed.count == 200)
        #expect(Set(claimed).count == 200)
        #expect(try await stores.jobs.counts() == [JobCount(kind: "video-redundancy", state: .running, count: 200)])
        _ = try await stores.jobs.enqueue(TranscodeVideoPayload(videoUUID: UUID()), runAfter: now, maxAttempts: 3)
        #expect(
            try await stores.jobs.counts() == [
                JobCount(kind: "video-redundancy", state: .running, count: 200),
                JobCount(kind: "video-transcoding", state: .pending, count: 1),
            ])
    }

    @Test(
        "workers are woken when a job is queued (at its commit, not before) or handed back", arguments: Backend.allCases
    )
    func wakeups(backend: Backend) async throws {
        let (stores, cleanup) = try await backend.makeStores()
        defer { cleanup() }
        let wakeups = stores.jobs.wakeups
        if backend == .postgres {
            // The listener rings once when its LISTEN is in place: from then on, notifications reach it.
            await wakeups.wait(since: 0, upTo: .seconds(30))
            try #require(wakeups.generation > 0)
        }
        func rings(_ seen: UInt64) async -> Bool {
            await wakeups.wait(since: seen, upTo: .seconds(30))
            return wakeups.generation != seen
        }
        let now = Date()
        let beforeQueue = wakeups.generation
        try await stores.transactions.run {
            _ = try await stores.jobs.enqueue(CopyVideoPayload(copyId: 1), runAfter: now, maxAttempts: 3)
            #expect(wakeups.generation == beforeQueue)
        }
        #expect(await rings(beforeQueue))

        let job = try #require(
            try await stores.jobs.claimNext(kinds: ["video-redundancy"], holder: "w", lease: 60, now: now))
        let beforeRelease = wakeups.generation
        try await stores.jobs.release(try #require(job.lease), jobId: job.id, now: now)
        #expect(await rings(beforeRelease))
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
