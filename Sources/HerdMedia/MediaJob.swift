import Foundation
import HerdTranscode

/// The whole media side of a transcoding job, as one unit a child process runs (`herd transcode-job`): probe the
/// upload, check it against the limits, plan the ladder, transcode, package. The parent (the job) only sends a
/// `MediaJob.Request` and reads `MediaJob.Event`s, so a file that crashes FFmpeg, or eats memory or CPU, ends a
/// child, never the server.
public enum MediaJob {
    public struct Request: Codable, Sendable {
        public var input: String
        public var output: TranscodeOutput
        public var planner: LadderPlanner
        public var limits: MediaLimits
        /// Encoder threads per rung; 0 lets libx264 choose.
        public var threads: Int
        /// The child's address space, in bytes (RLIMIT_AS).
        public var maxMemory: Int64
        /// CPU seconds per second of media (RLIMIT_CPU once the file is probed; 120 s for the probe itself).
        public var cpuPerMediaSecond: Int

        public init(
            input: String, output: TranscodeOutput, planner: LadderPlanner, limits: MediaLimits, threads: Int,
            maxMemory: Int64, cpuPerMediaSecond: Int
        ) {
            self.input = input
            self.output = output
            self.planner = planner
            self.limits = limits
            self.threads = threads
            self.maxMemory = maxMemory
            self.cpuPerMediaSecond = cpuPerMediaSecond
        }

        /// CPU seconds the whole job may take for a file of `duration` seconds (at least ten minutes).
        public func cpuBudget(duration: Double) -> Int {
            let seconds = duration.isFinite ? max(0, duration) : 0
            return Int(min(seconds * Double(cpuPerMediaSecond), 7 * 86_400).rounded(.up)) + 600
        }
    }

    /// One line of the child's standard output (JSON).
    public enum Event: Codable, Sendable, Equatable {
        /// The probe passed the limits: the file lasts `duration` seconds (the parent sizes the CPU budget on it).
        case probed(duration: Double)
        case progress(TranscodeProgress)
        /// Every output is in the scratch folders.
        case done(duration: Double, results: [RungResult])
        /// The file cannot be used, with a reason safe to show its uploader (probing, limits, planning or FFmpeg).
        case refused(String)
        /// Something else went wrong (a full disk, say): worth another attempt.
        case failed(String)
    }

    /// Runs a request to its end, reporting as it goes. Blocking: the child calls it on its main thread.
    public static func run(_ request: Request, report: (Event) -> Void) {
        if let problem = MediaLibraries.load() { return report(.failed("FFmpeg cannot be loaded: \(problem)")) }
        let probe: MediaProbe
        do {
            probe = try Prober.probe(path: request.input)
        } catch {
            return report(.refused(error.reason))
        }
        if let refusal = request.limits.refusal(probe.sourceInfo, duration: probe.duration) {
            return report(.refused(refusal))
        }
        report(.probed(duration: probe.duration))
        do {
            let rungs = try request.planner.plan(probe.sourceInfo)
            var options = Transcoder.Options()
            options.threads = request.threads
            options.limits = request.limits
            let results = try Transcoder(input: request.input, rungs: rungs, output: request.output, options: options)
                .run(progress: { report(.progress($0)) })
            try Transcoder.package(results, output: request.output)
            report(.done(duration: probe.duration, results: results))
        } catch let error as LadderPlanner.PlanError {
            report(.refused(error.description))
        } catch let error as Transcoder.TranscodeError {
            report(.refused("transcoding failed: \(error.description)"))
        } catch {
            report(.failed("\(error)"))
        }
    }
}
