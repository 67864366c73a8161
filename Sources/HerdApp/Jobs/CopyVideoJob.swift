import Foundation
import HerdAPI
import HerdCore
import HerdJobs
import Logging

/// `video-redundancy`: copies one remote video for this instance's mirror (issue 6), verifying every byte against
/// the origin's torrents, then serves, seeds and announces it. Run with the federation workers (it is network
/// work); a copy interrupted by a stop starts again from nothing after the restart.
struct CopyVideoJob: JobHandler {
    var kind: String { CopyVideoPayload.kind.rawValue }
    var maxAttempts: Int { MirrorCopies.jobAttempts }
    let services: APIServices
    let logger: Logger

    func run(_ job: Job, progress: JobProgress) async throws {
        try await MirrorCopies(services: services, logger: logger).run(
            try CopyVideoPayload(of: job), attempt: job.attempts, lastAttempt: job.attempts >= job.maxAttempts)
    }
}
