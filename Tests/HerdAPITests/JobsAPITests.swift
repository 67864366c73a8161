import Foundation
import HerdCore
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Jobs API")
struct JobsAPITests {
    @Test("administrators list jobs by PeerTube state; others may not")
    func listing() async throws {
        let clock = ManualWallClock()
        let instance = try await TestInstance(clock: clock)
        defer { instance.remove() }
        // The instance's own workers run while the client does; this kind has no handler, so they leave it alone.
        try await instance.withClient { client in
            let jobs = instance.stores.jobs
            let due = try await jobs.enqueue(
                kind: "test.unhandled", payload: Data(#"{"videoUUID":"abc"}"#.utf8), runAfter: clock.now(),
                maxAttempts: 3)
            _ = try await jobs.enqueue(
                kind: "test.unhandled", payload: Data("{}".utf8), runAfter: clock.now() + 600, maxAttempts: 3)
            let running = try #require(
                try await jobs.claimNext(kinds: ["test.unhandled"], holder: "test", lease: 60, now: clock.now()))
            #expect(running.id == due.id)
            #expect(
                try await jobs.heartbeat(
                    try #require(running.lease), jobId: running.id, progress: 12.5,
                    detail: Data(#"{"fps":48,"eta":30}"#.utf8), until: clock.now() + 60, now: clock.now()))
            let admin = try await client.login("root", TestInstance.rootPassword)
            let user = try await client.createUser("someone", adminToken: admin)
            let active = try await client.request(.get, "/api/v1/jobs/active", token: admin)
            #expect(active.status == .ok)
            let job = try #require(try active.jsonArray("data").first)
            #expect(job["state"] as? String == "active")
            #expect(job["type"] as? String == "test.unhandled")
            #expect(job["progress"] as? Double == 12.5)
            #expect((job["progressDetail"] as? [String: Any])?["fps"] as? Int == 48)
            #expect((job["data"] as? [String: Any])?["videoUUID"] as? String == "abc")
            let waiting = try await client.request(.get, "/api/v1/jobs/delayed", token: admin).jsonArray("data")
            #expect(waiting.map { $0["state"] as? String } == ["delayed"])
            #expect(try await client.request(.get, "/api/v1/jobs/paused", token: admin).json()["total"] as? Int == 0)
            #expect(try await client.request(.get, "/api/v1/jobs/exploded", token: admin).status == .badRequest)
            #expect(try await client.request(.get, "/api/v1/jobs/active", token: user).status == .forbidden)
            #expect(try await client.request(.get, "/api/v1/jobs/active").status == .unauthorized)
        }
    }
}
