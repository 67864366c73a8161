import HerdCore

/// Video channels: found by handle (`name` or `name@host`), created with their ActivityPub keys (at most
/// `maxPerUser` each), edited and deleted by their owner (an administrator too) with every video in them.
public final class VideoChannels: Sendable {
    public static let maxPerUser = 20

    let stores: Stores
    let removal: VideoRemoval
    let events: ContentEvents
    let localHost: String
    let makeKeys: ActorKeyMaker

    public init(
        stores: Stores, removal: VideoRemoval, events: ContentEvents, localHost: String, makeKeys: ActorKeyMaker
    ) {
        self.makeKeys = makeKeys
        self.stores = stores
        self.removal = removal
        self.events = events
        self.localHost = localHost
    }

    public func find(handle text: String) async throws -> ChannelWithOwner {
        guard let handle = Handle(text, localHost: localHost),
            let channel = try await stores.channels.find(handle: handle)
        else { throw HerdError.notFound("Video channel not found") }
        return channel
    }

    /// The channel if `user` owns it or is an administrator.
    public func managed(handle: String, by user: User) async throws -> ChannelWithOwner {
        let channel = try await find(handle: handle)
        guard channel.owner.userId == user.id || user.role == .administrator else {
            throw HerdError.forbidden("Cannot manage a video channel of another user")
        }
        return channel
    }

    public func list(accountId: Int64?, pagination: Pagination, sort: ChannelSort) async throws
        -> Page<ChannelWithOwner>
    {
        try await stores.channels.list(accountId: accountId, pagination: pagination, sort: sort)
    }

    public func videosCount(_ channel: ChannelWithOwner) async throws -> Int {
        try await stores.videos.count(channelId: channel.channel.id)
    }

    static func validate(description: String?, support: String?) throws {
        if let description, description.count > 1000 {
            throw HerdError.badRequest("description must be at most 1000 characters")
        }
        if let support, support.count > 1000 { throw HerdError.badRequest("support must be at most 1000 characters") }
    }

    public func create(name: String, displayName: String, description: String?, support: String?, by user: User)
        async throws -> Channel
    {
        try ActorNameRules.validate(name, field: "name")
        try UserAccounts.validateDisplayName(displayName)
        try Self.validate(description: description, support: support)
        let account = try await stores.accounts.account(of: user)
        guard try await stores.channels.count(accountId: account.id) < Self.maxPerUser else {
            throw HerdError.forbidden("You cannot create more than \(Self.maxPerUser) channels")
        }
        return try await stores.channels.create(
            NewChannel(
                accountId: account.id, name: name, displayName: displayName, description: description,
                support: support, keys: try makeKeys()))
    }

    /// Changes the given fields (nil: unchanged).
    public func update(
        _ found: ChannelWithOwner, displayName: String?, description: String?, support: String?
    ) async throws {
        var channel = found.channel
        if let displayName {
            try UserAccounts.validateDisplayName(displayName)
            channel.displayName = displayName
        }
        try Self.validate(description: description, support: support)
        if let description { channel.description = description }
        if let support { channel.support = support }
        try await stores.channels.update(channel)
        events.publish(.channel(id: channel.id))
    }

    /// Deletes a channel with its videos; a user's last channel stays.
    public func delete(_ channel: ChannelWithOwner) async throws {
        guard try await stores.channels.count(accountId: channel.owner.id) > 1 else {
            throw HerdError.conflict("Cannot remove the last channel of this user")
        }
        try await removal.removeAll(channelId: channel.channel.id)
        try await stores.channels.delete(id: channel.channel.id)
    }
}
