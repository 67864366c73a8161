import HerdCore

/// The short actor form (account or channel) used inside videos, channels and users.
struct ActorSummaryDTO: Encodable {
    var id: Int64
    var name: String
    var displayName: String
    var url: String
    var host: String
    var avatars: [String] = []

    /// - Parameter collection: the actor's URL folder, `accounts` or `video-channels`.
    init(
        id: Int64, name: String, displayName: String, host: String?, url: String? = nil, collection: String,
        baseURL: String, localHost: String
    ) {
        self.id = id
        self.name = name
        self.displayName = displayName
        self.url =
            url ?? host.map { "https://\($0)/\(collection)/\(name)" } ?? "\(baseURL)/\(collection)/\(name)"
        self.host = host ?? localHost
    }

    init(_ account: Account, baseURL: String, localHost: String) {
        self.init(
            id: account.id, name: account.name, displayName: account.displayName, host: account.host,
            url: account.url, collection: "accounts", baseURL: baseURL, localHost: localHost
        )
    }

    init(_ channel: Channel, baseURL: String, localHost: String) {
        self.init(
            id: channel.id, name: channel.name, displayName: channel.displayName, host: channel.host,
            url: channel.url, collection: "video-channels", baseURL: baseURL, localHost: localHost
        )
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
        let summary = ActorSummaryDTO(account, baseURL: baseURL, localHost: localHost)
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
        let summary = ActorSummaryDTO(value.channel, baseURL: baseURL, localHost: localHost)
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
