import Foundation

/// A local user: credentials, role and quota. Its public identity is its `Account`.
public struct User: Sendable, Equatable {
    public var id: Int64
    public var username: String
    public var email: String
    public var passwordHash: String
    public var role: Role
    /// Bytes the user may upload in total; -1 means unlimited.
    public var videoQuota: Int64
    /// Bytes the user may upload per 24 hours; -1 means unlimited.
    public var videoQuotaDaily: Int64
    public var blocked: Bool
    public var createdAt: Date

    public init(
        id: Int64, username: String, email: String, passwordHash: String, role: Role,
        videoQuota: Int64, videoQuotaDaily: Int64 = -1, blocked: Bool = false, createdAt: Date
    ) {
        self.id = id
        self.username = username
        self.email = email
        self.passwordHash = passwordHash
        self.role = role
        self.videoQuota = videoQuota
        self.videoQuotaDaily = videoQuotaDaily
        self.blocked = blocked
        self.createdAt = createdAt
    }
}

/// What is needed to create a user together with its account and default channel.
public struct NewUser: Sendable {
    public var username: String
    public var email: String
    public var passwordHash: String
    public var role: Role
    public var videoQuota: Int64
    public var displayName: String
    public var channelName: String
    public var channelDisplayName: String
    /// The account's and the default channel's key pairs, stored with them (ActivityPub actors).
    public var accountKeys: ActorKeyPair?
    public var channelKeys: ActorKeyPair?

    public init(
        username: String, email: String, passwordHash: String, role: Role, videoQuota: Int64,
        displayName: String? = nil, channelName: String? = nil, channelDisplayName: String? = nil,
        accountKeys: ActorKeyPair? = nil, channelKeys: ActorKeyPair? = nil
    ) {
        self.username = username
        self.email = email
        self.passwordHash = passwordHash
        self.role = role
        self.videoQuota = videoQuota
        self.displayName = displayName ?? username
        self.channelName = channelName ?? "\(username)_channel"
        self.channelDisplayName = channelDisplayName ?? "Main \(username) channel"
        self.accountKeys = accountKeys
        self.channelKeys = channelKeys
    }
}

/// A user with the account and channels that belong to it.
public struct UserBundle: Sendable, Equatable {
    public var user: User
    public var account: Account
    public var channels: [Channel]

    public init(user: User, account: Account, channels: [Channel]) {
        self.user = user
        self.account = account
        self.channels = channels
    }
}
