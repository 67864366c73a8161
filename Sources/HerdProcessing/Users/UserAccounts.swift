import HerdCore
import HerdCrypto

/// Creating users, shared by registration, the admin API, the command line and the first start.
public final class UserAccounts: Sendable {
    public let stores: Stores
    public let passwords: PasswordHasher
    public let makeKeys: ActorKeyMaker

    public init(stores: Stores, passwords: PasswordHasher, makeKeys: ActorKeyMaker) {
        self.makeKeys = makeKeys
        self.stores = stores
        self.passwords = passwords
    }

    public static let passwordLength = 6...255

    /// Validates and creates a user with its account and default channel.
    public func create(
        username: String, password: String, email: String?, role: Role, quota: Int64, displayName: String? = nil,
        channelName: String? = nil, channelDisplayName: String? = nil
    ) async throws -> UserBundle {
        try ActorNameRules.validate(username, field: "username")
        guard username != "peertube" else { throw HerdError.conflict("the name 'peertube' is reserved") }
        guard Self.passwordLength.contains(password.count) else {
            throw HerdError.badRequest("password must be between 6 and 255 characters")
        }
        let email = email ?? "\(username)@localhost"
        guard email.count <= 400, email.split(separator: "@").count == 2 else {
            throw HerdError.badRequest("email must be a valid address")
        }
        if let channelName { try ActorNameRules.validate(channelName, field: "channel.name") }
        if let channelName, channelName == username {
            throw HerdError.conflict("the channel name must differ from the username")
        }
        if let displayName { try Self.validateDisplayName(displayName) }
        if let channelDisplayName { try Self.validateDisplayName(channelDisplayName) }
        guard quota >= -1 else { throw HerdError.badRequest("videoQuota must be -1 or more") }
        let hash = passwords.hash(password)
        return try await stores.users.create(
            NewUser(
                username: username, email: email, passwordHash: hash, role: role, videoQuota: quota,
                displayName: displayName, channelName: channelName, channelDisplayName: channelDisplayName,
                accountKeys: try makeKeys(), channelKeys: try makeKeys()
            )
        )
    }

    public static func validateDisplayName(_ name: String) throws {
        guard (1...120).contains(name.count) else {
            throw HerdError.badRequest("displayName must be between 1 and 120 characters")
        }
    }
}
