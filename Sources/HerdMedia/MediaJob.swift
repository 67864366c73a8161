import Foundation
import HerdTranscode

extension MediaJob {
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
