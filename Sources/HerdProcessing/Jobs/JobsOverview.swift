import Foundation
import HerdCore

/// The job queue as administrators see it (`GET /api/v1/jobs/{state}`): a page of jobs with the names of the
/// videos they work on.
public final class JobsOverview: Sendable {
    let stores: Stores

    public init(stores: Stores) { self.stores = stores }

    public struct Listed: Sendable {
        public var job: Job
        /// The payload's fields, when it is a flat object of strings (PeerTube's `data`).
        public var data: [String: String]?
        /// The name of the video named by `data.videoUUID`.
        public var videoName: String?
    }

    public func list(state: Job.State?, kind: String?, pagination: Pagination) async throws -> Page<Listed> {
        let page = try await stores.jobs.list(state: state, kind: kind, pagination: pagination)
        var names: [String: String] = [:]
        var listed: [Listed] = []
        for job in page.data {
            let data = try? JSONDecoder().decode([String: String].self, from: job.payload)
            var name: String?
            if let uuid = data?["videoUUID"], let reference = UUID(uuidString: uuid) {
                if names[uuid] == nil { names[uuid] = try await stores.videos.find(.uuid(reference))?.video.name }
                name = names[uuid]
            }
            listed.append(Listed(job: job, data: data, videoName: name))
        }
        return Page(total: page.total, data: listed)
    }

    /// Jobs by kind and state, every state of a kind included (zero when none): the metrics' queue depth.
    public func depth() async throws -> [JobCount] {
        let counts = try await stores.jobs.counts()
        let kinds = Set(counts.map(\.kind)).sorted()
        return kinds.flatMap { kind in
            Job.State.allCases.map { state in
                JobCount(
                    kind: kind, state: state,
                    count: counts.first { $0.kind == kind && $0.state == state }?.count ?? 0)
            }
        }
    }
}
