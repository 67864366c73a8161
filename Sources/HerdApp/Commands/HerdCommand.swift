import ArgumentParser
import Foundation
import HerdCore
import Logging
import NIOCore
import NIOPosix

/// `herd`: the server and its administration commands.
public struct HerdCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "herd",
        abstract: "Herd: a peer-assisted, federated video hosting server that speaks PeerTube's API.",
        discussion: """
            Configuration comes from built-in defaults (documented in Config/default.yaml), then the file given \
            with --config or HERD_CONFIG, then HERD_<SECTION>_<KEY> environment variables.
            """,
        subcommands: [
            ServeCommand.self, WorkerCommand.self, StorageCommand.self, AdminCommand.self, TranscodeCommand.self,
            TranscodeJobCommand.self,
        ],
        defaultSubcommand: nil
    )

    public init() {}

    /// The process's entry point. Swift concurrency runs on NIO's event loops, so a request's task and its connection
    /// share a thread instead of hopping between the loops and the cooperative pool for every request; the allocator
    /// keeps freed memory for the next request (`MallocTuning`; both issue 16).
    public static func main() async {
        MallocTuning.apply()
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        await main(nil)
    }
}

/// Options shared by every command that opens the instance.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "A YAML configuration file overriding the defaults (or set HERD_CONFIG).")
    var config: String?

    /// Loads settings, or prints one line naming the key and the problem and exits with code 2.
    func settings() throws -> Settings {
        let environment = ProcessInfo.processInfo.environment
        do {
            return try ConfigLoader.load(file: config ?? environment["HERD_CONFIG"], environment: environment)
        } catch {
            FileHandle.standardError.write(Data("herd: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}

func makeLogger(level: String) -> Logger {
    var logger = Logger(label: "herd")
    logger.logLevel = Logger.Level(rawValue: level) ?? .info
    return logger
}
