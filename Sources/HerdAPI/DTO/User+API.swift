import HerdCore

/// `GET /api/v1/users/me` and the admin user list.
struct UserDTO: Encodable {
    var id: Int64
    var username: String
    var email: String
    var emailVerified = true
    var nsfwPolicy = "display"
    var p2pEnabled = true
    var autoPlayVideo = true
    var role: Labeled<Int>
    var videoQuota: Int64
    var videoQuotaDaily: Int64
    var videoQuotaUsed: Int64?
    var blocked: Bool
    var createdAt: String
    var account: AccountDTO?
    var videoChannels: [ChannelDTO]?

    init(
        _ user: User, account: Account?, channels: [ChannelWithOwner]?, quotaUsed: Int64?, baseURL: String,
        localHost: String
    ) {
        id = user.id
        username = user.username
        email = user.email
        role = Labeled(id: user.role.rawValue, label: user.role.label)
        videoQuota = user.videoQuota
        videoQuotaDaily = user.videoQuotaDaily
        videoQuotaUsed = quotaUsed
        blocked = user.blocked
        createdAt = isoDate(user.createdAt)
        self.account = account.map { AccountDTO($0, baseURL: baseURL, localHost: localHost) }
        videoChannels = channels?.map { ChannelDTO($0, baseURL: baseURL, localHost: localHost) }
    }
}
