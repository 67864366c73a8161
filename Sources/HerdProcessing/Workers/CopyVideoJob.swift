import Foundation
import HerdCore

/// `video-redundancy`: copies one remote video for this instance's mirror (issue 6), verifying every byte against
/// the origin's torrents, then serves, seeds and announces it. Run with the federation workers (it is network
/// work); a copy interrupted by a stop starts again from nothing after the restart.
public struct CopyVideoJob: JobHandler {
    public var kind: String { CopyVideoPayload.kind.rawValue }
    public var maxAttempts: Int { MirrorCopies.jobAttempts }
    let copies: MirrorCopies

    public init(copies: MirrorCopies) { self.copies = copies }

    public func run(_ job: Job, progress: JobProgress) async throws {
        try await copies.run(
            try CopyVideoPayload(of: job), attempt: job.attempts, lastAttempt: job.attempts >= job.maxAttempts)
    }
}
