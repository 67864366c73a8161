import ArgumentParser
import Foundation
import HerdMedia
import HerdTranscode

#if canImport(Glibc)
    import Glibc
#endif

/// `herd transcode-job`: the media side of one transcoding job, run by the server as a child process. It reads a
/// `MediaJob.Request` (JSON) on standard input, limits its own memory and CPU time (setrlimit) before opening the
/// upload, and writes `MediaJob.Event`s, one JSON line each, on standard output. Whatever a hostile file does to
/// FFmpeg ends this process, not the server.
struct TranscodeJobCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transcode-job",
        abstract: "Run one transcoding job's media work (used by the server; reads JSON on standard input).",
        shouldDisplay: false
    )

    /// CPU seconds for probing, before the file's duration is known.
    static let probeCPU = 120

    func run() throws {
        Self.exitWithParent()
        let input = FileHandle.standardInput.readDataToEndOfFile()
        let request = try JSONDecoder().decode(MediaJob.Request.self, from: input)
        _ = MediaLibraries.load()  // mapped before the address-space limit (MediaJob.run reports a failure to load)
        Self.limit(RLIMIT_AS, to: request.maxMemory)
        Self.limit(RLIMIT_CPU, to: Int64(Self.probeCPU))
        let encoder = JSONEncoder()
        MediaJob.run(request) { event in
            if case .probed(let duration) = event {
                Self.limit(RLIMIT_CPU, to: Int64(request.cpuBudget(duration: duration)))
            }
            guard var line = try? encoder.encode(event) else { return }
            line.append(UInt8(ascii: "\n"))
            FileHandle.standardOutput.write(line)
        }
    }

    /// A server killed outright (kill -9) cannot stop its transcoder: the transcoder notices it was orphaned (its
    /// parent changed) within a second and exits, so it never writes into the folder a restarted job uses.
    static func exitWithParent() {
        let parent = getppid()
        let watchdog = Thread {
            while getppid() == parent { sleep(1) }
            Glibc.exit(2)
        }
        watchdog.start()
    }

    /// Sets the soft limit (the hard one stays, so the budget can be raised after the probe).
    static func limit(_ resource: __rlimit_resource, to value: Int64) {
        let resource = __rlimit_resource_t(resource.rawValue)
        var current = rlimit()
        getrlimit(resource, &current)
        let wanted = rlim_t(max(1, value))
        current.rlim_cur = min(wanted, current.rlim_max)  // RLIM_INFINITY is the largest value
        setrlimit(resource, &current)
    }
}
