import Foundation
import HerdCore
import HerdCrypto

/// Users as they see themselves and as administrators manage them: profile, quota used, own videos, registration
/// (when sign-up is open), creation, edits (a new password signs the user out everywhere else) and deletion with
/// every video of the account.
public final class UserManagement: Sendable {
    let stores: Stores
    let accounts: UserAccounts
    let configuration: InstanceConfiguration
    let removal: VideoRemoval
    let defaultQuota: Int64
    let clock: any WallClock

    public init(
        stores: Stores, accounts: UserAccounts, configuration: InstanceConfiguration, removal: VideoRemoval,
        defaultQuota: Int64, clock: any WallClock
    ) {
        self.stores = stores
        self.accounts = accounts
        self.configuration = configuration
        self.removal = removal
        self.defaultQuota = defaultQuota
        self.clock = clock
    }

    /// A user with its account, channels and quota used.
    public struct Profile: Sendable {
        public var user: User
        public var account: Account?
        public var channels: [ChannelWithOwner]?
        public var quotaUsed: Int64
    }

    public func profile(_ user: User) async throws -> Profile {
        let account = try await stores.accounts.find(userId: user.id)
        var channels: [ChannelWithOwner]?
        if let account {
            channels = try await stores.channels.list(
                accountId: account.id, pagination: Pagination(count: 100), sort: .createdAt
            ).data
        }
        let used = try await stores.videos.usedQuota(userId: user.id, since: nil)
        return Profile(user: user, account: account, channels: channels, quotaUsed: used)
    }

    /// Every video of the user's account, in every privacy and state.
    public func videos(of user: User, pagination: Pagination, sort: VideoSort) async throws -> Page<VideoWithOwner> {
        let account = try await stores.accounts.account(of: user)
        return try await stores.videos.list(
            VideoQuery(pagination: pagination, sort: sort, accountId: account.id, privacies: [], onlyPublished: false))
    }

    /// Bytes of originals the user uploaded, in all and in the last 24 hours.
    public func quotaUsed(by user: User) async throws -> (total: Int64, daily: Int64) {
        let total = try await stores.videos.usedQuota(userId: user.id, since: nil)
        let daily = try await stores.videos.usedQuota(userId: user.id, since: clock.now().addingTimeInterval(-86400))
        return (total, daily)
    }

    /// Fails when sign-up is closed.
    public func checkSignupOpen() async throws {
        guard try await configuration.signupEnabled() else {
            throw HerdError.forbidden("User registration is not enabled.")
        }
    }

    /// A new user by sign-up, with the default quota.
    public func register(
        username: String, password: String, email: String, displayName: String?, channelName: String?,
        channelDisplayName: String?
    ) async throws {
        try await checkSignupOpen()
        _ = try await accounts.create(
            username: username, password: password, email: email, role: .user, quota: defaultQuota,
            displayName: displayName, channelName: channelName, channelDisplayName: channelDisplayName)
    }

    public func list(pagination: Pagination) async throws -> Page<User> {
        try await stores.users.list(start: pagination.start, count: pagination.count)
    }

    /// A user made by an administrator.
    public func create(
        username: String, password: String, email: String, role: Int, quota: Int64?, dailyQuota: Int64?,
        channelName: String?
    ) async throws -> UserBundle {
        guard let role = Role(rawValue: role) else { throw HerdError.badRequest("role must be 0, 1 or 2") }
        var bundle = try await accounts.create(
            username: username, password: password, email: email, role: role, quota: quota ?? defaultQuota,
            channelName: channelName)
        if let dailyQuota {
            bundle.user.videoQuotaDaily = dailyQuota
            try await stores.users.update(bundle.user)
        }
        return bundle
    }

    public func find(id text: String) async throws -> User {
        guard let id = Int64(text), let user = try await stores.users.find(id: id) else {
            throw HerdError.notFound("User not found")
        }
        return user
    }

    /// An administrator's edit (nil fields unchanged).
    public struct Edit: Sendable {
        public var email: String?
        public var role: Int?
        public var videoQuota: Int64?
        public var videoQuotaDaily: Int64?
        public var password: String?

        public init(
            email: String?, role: Int?, videoQuota: Int64?, videoQuotaDaily: Int64?, password: String?
        ) {
            self.email = email
            self.role = role
            self.videoQuota = videoQuota
            self.videoQuotaDaily = videoQuotaDaily
            self.password = password
        }
    }

    /// Applies `edit` to `user` by `admin`, whose session `keptToken` stays signed in after a password change.
    public func update(_ user: User, _ edit: Edit, by admin: User, keptToken: Int64?) async throws {
        var user = user
        if let email = edit.email { user.email = email }
        if let role = edit.role {
            guard let role = Role(rawValue: role) else { throw HerdError.badRequest("role must be 0, 1 or 2") }
            guard user.id != admin.id || role == .administrator else {
                throw HerdError.badRequest("you cannot remove your own administrator role")
            }
            user.role = role
        }
        if let quota = edit.videoQuota {
            guard quota >= -1 else { throw HerdError.badRequest("videoQuota must be -1 or more") }
            user.videoQuota = quota
        }
        if let daily = edit.videoQuotaDaily {
            guard daily >= -1 else { throw HerdError.badRequest("videoQuotaDaily must be -1 or more") }
            user.videoQuotaDaily = daily
        }
        if let password = edit.password {
            guard UserAccounts.passwordLength.contains(password.count) else {
                throw HerdError.badRequest("password must be between 6 and 255 characters")
            }
            user.passwordHash = accounts.passwords.hash(password)
        }
        try await stores.users.update(user)
        // A new password signs the user out everywhere else: whoever knew the old one keeps no session.
        if edit.password != nil { try await stores.tokens.deleteAll(userId: user.id, except: keptToken) }
    }

    /// Deletes a user, their account's videos first.
    public func delete(_ user: User, by admin: User) async throws {
        guard user.id != admin.id else { throw HerdError.badRequest("you cannot delete yourself") }
        if let account = try await stores.accounts.find(userId: user.id) {
            try await removal.removeAll(accountId: account.id)
        }
        try await stores.users.delete(id: user.id)
    }
}
