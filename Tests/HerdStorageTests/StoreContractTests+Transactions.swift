import Foundation
import HerdCore
import Synchronization
import Testing

extension StoreContractTests {
    static let transcodeJob = NewJob(
        kind: "video-transcoding", payload: Data("{}".utf8), runAfter: Date(), maxAttempts: 3)

    @Test(
        "a transaction commits writes to several stores together and reads its own writes", arguments: Backend.allCases)
    func transactionCommits(backend: Backend) async throws {
        let (stores, cleanup) = try await backend.makeStores()
        defer { cleanup() }
        let channel = try await stores.users.create(Self.newUser("alice")).channels[0]
        let (video, job) = try await stores.transaction {
            let video = try await stores.videos.create(NewVideo(channelId: channel.id, name: "together"))
            try await stores.videoPasswords.replace(videoId: video.id, with: ["alpha"], now: video.createdAt)
            // Inside, the transaction's own writes are visible.
            #expect(try await stores.videos.find(.id(video.id))?.video.name == "together")
            #expect(try await stores.videoPasswords.contains(videoId: video.id, password: "alpha"))
            let job = try await stores.jobs.enqueue(
                kind: Self.transcodeJob.kind, payload: Self.transcodeJob.payload, runAfter: Date(), maxAttempts: 3)
            return (video, job)
        }
        #expect(try await stores.videos.find(.id(video.id))?.video.name == "together")
        #expect(try await stores.videoPasswords.contains(videoId: video.id, password: "alpha"))
        #expect(try await stores.jobs.find(id: job.id)?.kind == "video-transcoding")
    }

    @Test("a transaction whose body throws leaves nothing, nested ones included", arguments: Backend.allCases)
    func transactionRollsBack(backend: Backend) async throws {
        let (stores, cleanup) = try await backend.makeStores()
        defer { cleanup() }
        let channel = try await stores.users.create(Self.newUser("alice")).channels[0]
        let taken = try await stores.videos.create(NewVideo(channelId: channel.id, name: "taken"))
        // The job is written first, then the video's UUID conflicts: the job goes too.
        await #expect(throws: HerdError.self) {
            try await stores.transaction {
                _ = try await stores.jobs.enqueue(
                    kind: Self.transcodeJob.kind, payload: Self.transcodeJob.payload, runAfter: Date(), maxAttempts: 3)
                _ = try await stores.videos.create(NewVideo(uuid: taken.uuid, channelId: channel.id, name: "again"))
            }
        }
        #expect(try await stores.jobs.list(state: nil, kind: nil, pagination: Pagination()).total == 0)
        // A transaction inside another joins it: the outer one's failure undoes the inner one's writes.
        struct Abandoned: Error {}
        await #expect(throws: Abandoned.self) {
            try await stores.transaction {
                try await stores.transaction {
                    _ = try await stores.videos.create(NewVideo(channelId: channel.id, name: "inner"))
                }
                throw Abandoned()
            }
        }
        #expect(try await stores.videos.count(channelId: channel.id) == 1)
        // The stores work as before afterwards.
        _ = try await stores.videos.create(NewVideo(channelId: channel.id, name: "after"))
        #expect(try await stores.videos.count(channelId: channel.id) == 2)
    }

    @Test("other tasks see a transaction's writes only once it commits", arguments: Backend.allCases)
    func transactionIsolation(backend: Backend) async throws {
        let (stores, cleanup) = try await backend.makeStores()
        defer { cleanup() }
        let channel = try await stores.users.create(Self.newUser("alice")).channels[0]
        let events = ContentEvents()
        let seen = Mutex<[ContentChanged]>([])
        events.subscribe { change in seen.withLock { $0.append(change) } }
        let video = try await stores.transaction {
            let video = try await stores.videos.create(NewVideo(channelId: channel.id, name: "pending"))
            events.publish(.video(id: video.id))
            // A task outside the transaction (detached: no task-locals) reads the last committed state.
            let outside = try await Task.detached { try await stores.videos.find(.id(video.id)) }.value
            #expect(outside == nil)
            // Subscribers hear of the change only once others can see it.
            #expect(seen.withLock { $0 }.isEmpty)
            return video
        }
        #expect(seen.withLock { $0 } == [.video(id: video.id)])
        let outside = try await Task.detached { try await stores.videos.find(.id(video.id)) }.value
        #expect(outside?.video.name == "pending")
        // A rolled-back change is never announced.
        _ = try? await stores.transaction {
            events.publish(.channel(id: channel.id))
            throw HerdError.conflict("no")
        }
        #expect(seen.withLock { $0 } == [.video(id: video.id)])
    }

    @Test(
        "a transaction started by a cancelled task ends, and writes all or nothing",
        // A hang fails it; the limit also covers waiting for the shared PostgreSQL to start under the whole suite.
        .timeLimit(.minutes(5)),
        arguments: Backend.allCases)
    func transactionOfCancelledTask(backend: Backend) async throws {
        let (stores, cleanup) = try await backend.makeStores()
        defer { cleanup() }
        let channel = try await stores.users.create(Self.newUser("alice")).channels[0]
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await stores.transaction {
                let video = try await stores.videos.create(NewVideo(channelId: channel.id, name: "cancelled"))
                try await stores.videoPasswords.replace(videoId: video.id, with: ["alpha"], now: video.createdAt)
                return video.id
            }
        }
        // Whether the backend refuses a cancelled task or runs it, the task ends and leaves all or nothing.
        switch await task.result {
        case .success(let id):
            #expect(try await stores.videoPasswords.contains(videoId: id, password: "alpha"))
        case .failure:
            #expect(try await stores.videos.count(channelId: channel.id) == 0)
        }
    }
}
