import HerdCore

/// The short account form used inside videos and channels.
struct AccountSummaryDTO: Encodable {
    var id: Int64
    var name: String
    var displayName: String
    var url: String
    var host: String
    var avatars: [String] = []

    init(_ account: Account, baseURL: String, localHost: String) {
        id = account.id
        name = account.name
        displayName = account.displayName
        url =
            account.isLocal
            ? "\(baseURL)/accounts/\(account.name)" : "https://\(account.host!)/accounts/\(account.name)"
        host = account.host ?? localHost
    }
}

/// The short channel form used inside videos.
struct ChannelSummaryDTO: Encodable {
    var id: Int64
    var name: String
    var displayName: String
    var url: String
    var host: String
    var avatars: [String] = []

    init(_ channel: Channel, baseURL: String, localHost: String) {
        id = channel.id
        name = channel.name
        displayName = channel.displayName
        url =
            channel.isLocal
            ? "\(baseURL)/video-channels/\(channel.name)" : "https://\(channel.host!)/video-channels/\(channel.name)"
        host = channel.host ?? localHost
    }
}

/// `GET /api/v1/accounts/{name}`.
struct AccountDTO: Encodable {
    var id: Int64
    var name: String
    var displayName: String
    var description: String?
    var url: String
    var host: String
    var isLocal: Bool
    var avatars: [String] = []
    var banners: [String] = []
    var followersCount = 0
    var followingCount = 0
    var hostRedundancyAllowed: Bool? = nil
    var createdAt: String
    var updatedAt: String
    var userId: Int64?

    init(_ account: Account, baseURL: String, localHost: String) {
        let summary = AccountSummaryDTO(account, baseURL: baseURL, localHost: localHost)
        id = account.id
        name = account.name
        displayName = account.displayName
        description = account.description
        url = summary.url
        host = summary.host
        isLocal = account.isLocal
        createdAt = isoDate(account.createdAt)
        updatedAt = isoDate(account.updatedAt)
        userId = account.userId
    }
}

/// `GET /api/v1/video-channels/{handle}`.
struct ChannelDTO: Encodable {
    var id: Int64
    var name: String
    var displayName: String
    var description: String?
    var support: String?
    var url: String
    var host: String
    var isLocal: Bool
    var avatars: [String] = []
    var banners: [String] = []
    var followersCount = 0
    var followingCount = 0
    var hostRedundancyAllowed: Bool? = nil
    var createdAt: String
    var updatedAt: String
    var ownerAccount: AccountDTO
    var videosCount: Int?

    init(_ value: ChannelWithOwner, baseURL: String, localHost: String, videosCount: Int? = nil) {
        let summary = ChannelSummaryDTO(value.channel, baseURL: baseURL, localHost: localHost)
        id = value.channel.id
        name = value.channel.name
        displayName = value.channel.displayName
        description = value.channel.description
        support = value.channel.support
        url = summary.url
        host = summary.host
        isLocal = value.channel.isLocal
        createdAt = isoDate(value.channel.createdAt)
        updatedAt = isoDate(value.channel.updatedAt)
        ownerAccount = AccountDTO(value.owner, baseURL: baseURL, localHost: localHost)
        self.videosCount = videosCount
    }
}
