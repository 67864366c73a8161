import Foundation
import HerdCore
import HerdProcessing
import Hummingbird

/// `GET /api/v1/jobs/{state}` for administrators, in PeerTube's shape.
struct JobsController: Sendable {
    let jobs: JobsOverview
    let clock: any WallClock

    func addRoutes(to router: Router<HerdRequestContext>) {
        router.get("/api/v1/jobs/:state", use: list)
    }

    /// PeerTube's job states mapped onto Herd's: waiting and delayed jobs are both `pending`; Herd has no
    /// paused jobs and no job trees, so those lists are empty.
    static func state(_ name: String) throws -> Job.State?? {
        switch name {
        case "active": return .some(.running)
        case "completed": return .some(.completed)
        case "failed": return .some(.failed)
        case "waiting", "delayed": return .some(.pending)
        case "paused", "waiting-children": return .some(nil)
        case "all": return .none
        default:
            throw HerdError.badRequest(
                "state must be one of active, completed, failed, waiting, delayed, paused, waiting-children"
            )
        }
    }

    struct JobDTO: Encodable {
        var id: Int64
        var state: String
        var type: String
        var data: [String: String]?
        var progress: Double?
        var progressDetail: [String: Double]?
        var attempts: Int
        var error: String?
        var createdAt: String
        var processedOn: String?
        var finishedOn: String?
        /// The video a job works on, named (Herd's addition: PeerTube's `data.videoUUID` alone names nothing).
        var video: JobVideo?
    }

    struct JobVideo: Encodable {
        var uuid: String
        var name: String
    }

    @Sendable func list(_ request: Request, context: HerdRequestContext) async throws -> Response {
        _ = try context.requireRole(.administrator)
        let query = QueryParameters(request.uri.query)
        let selected = try Self.state(try context.parameters.require("state"))
        if case .some(.none) = selected { return try JSON.response(ListDTO(Page<JobDTO>(total: 0, data: []))) }
        let page = try await jobs.list(
            state: selected ?? nil, kind: query["jobType"], pagination: try query.pagination())
        let now = clock.now()
        return try JSON.response(
            ListDTO(
                page.map { listed in
                    let job = listed.job
                    return JobDTO(
                        id: job.id, state: job.peerTubeState(now: now), type: job.kind, data: listed.data,
                        progress: job.progress,
                        progressDetail: job.progressDetail.flatMap {
                            try? JSONDecoder().decode([String: Double].self, from: $0)
                        },
                        attempts: job.attempts, error: job.lastError, createdAt: isoDate(job.createdAt),
                        processedOn: job.startedAt.map(isoDate), finishedOn: job.finishedAt.map(isoDate),
                        video: listed.data?["videoUUID"].flatMap { uuid in
                            listed.videoName.map { JobVideo(uuid: uuid, name: $0) }
                        })
                }))
    }
}
