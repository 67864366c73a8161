import ArgumentParser
import Foundation
import HerdCore
import HerdCrypto
import HerdProcessing
import Logging

/// `herd admin …`: maintenance against the instance's database, with the server running or not.
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin",
        abstract: "Administer the instance (works while the server is running or stopped).",
        subcommands: [CreateUser.self]
    )

    struct CreateUser: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create-user",
            abstract: "Create a user with its account and default channel."
        )

        @OptionGroup var options: ConfigOptions

        @Option(help: "Login name: lowercase letters, digits, '_', '.' or '-'.")
        var username: String

        @Option(help: "Password, 6 to 255 characters.")
        var password: String

        @Option(help: "administrator, moderator or user.")
        var role: String = "user"

        @Option(help: "Email address (default: <username>@localhost).")
        var email: String?

        @Option(help: "Video quota in bytes, -1 for unlimited (default: user.default_quota).")
        var quota: Int64?

        func run() async throws {
            guard let role = Role(name: role) else {
                throw ValidationError("--role must be administrator, moderator or user")
            }
            let settings = try options.settings()
            do {
                let bundle = try await Database.withStores(settings, logger: Logger(label: "herd.admin")) { stores in
                    try await UserAccounts(stores: stores, passwords: PasswordHasher(), makeKeys: .rsa2048).create(
                        username: username, password: password, email: email, role: role,
                        quota: quota ?? settings.defaultQuota)
                }
                print(
                    "Created \(role.name) '\(bundle.user.username)' (id \(bundle.user.id)) with channel '\(bundle.channels[0].name)'."
                )
            } catch let error as HerdError {
                FileHandle.standardError.write(Data("herd: \(error.publicMessage)\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}
