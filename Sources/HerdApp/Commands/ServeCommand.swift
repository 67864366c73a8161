import ArgumentParser
import Foundation
import HerdCore
import Hummingbird
import Logging

/// `herd serve`: runs the server until SIGINT or SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the Herd server.",
        discussion: """
            With no configuration at all, Herd keeps everything in ./storage (a SQLite database and the media) \
            and listens on 127.0.0.1:9000. On the first start it creates the administrator 'root' and prints its \
            password once (or takes it from HERD_ROOT_PASSWORD).
            """
    )

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let settings = try options.settings()
        let logger = makeLogger(level: settings.logLevel)
        let slices = await EventLoopSlices.apply()
        logger.debug("event loops with \(EventLoopSlices.slice / 1000) µs time slices: \(slices)")
        let herd = try await HerdApplication(
            settings: settings, logger: logger, rootPassword: ProcessInfo.processInfo.environment["HERD_ROOT_PASSWORD"]
        )
        try await herd.serve()
    }
}
