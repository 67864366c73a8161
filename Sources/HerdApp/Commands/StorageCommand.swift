import ArgumentParser
import Foundation
import HerdCore

/// `herd storage`: the instance's media storage.
struct StorageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "storage", abstract: "Manage where the instance's media lives.",
        subcommands: [Migrate.self])

    /// `herd storage migrate --to object|local`.
    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate",
            abstract: "Move originals, web MP4s and HLS folders to object storage, or back to storage.dir.",
            discussion: """
                The buckets are those of object_storage.* (enabled or not). Stop the instance's servers and workers \
                first, then set object_storage.enabled to match the new place before starting them again. Each file \
                or folder is copied, then removed from where it was: a run that stops part way is finished by \
                running it again.
                """)

        @OptionGroup var options: ConfigOptions

        @Option(help: "Where the media goes: object or local.")
        var to: MediaMigration.Target

        func run() async throws {
            let settings = try options.settings()
            let storage = settings.objectStorage
            guard !storage.endpoint.isEmpty, !storage.accessKeyID.isEmpty, !storage.secretAccessKey.isEmpty else {
                FileHandle.standardError.write(
                    Data("herd: object_storage.endpoint and its credentials are needed to migrate\n".utf8))
                throw ExitCode(2)
            }
            let migration = MediaMigration(settings: settings, logger: makeLogger(level: settings.logLevel))
            let moved = try await migration.run(to: to)
            print("moved \(moved) files or folders to \(to == .object ? "object storage" : settings.storageDir)")
        }
    }
}

extension MediaMigration.Target: ExpressibleByArgument {}
