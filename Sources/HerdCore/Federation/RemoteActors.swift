import Foundation

/// A remote actor as cached from its ActivityPub document (keys re-fetched when a signature fails).
public struct RemoteActorRecord: Sendable, Equatable {
    public var url: String
    public var kind: String
    public var preferredUsername: String
    public var name: String?
    public var host: String
    public var inbox: String
    public var sharedInbox: String?
    public var followers: String?
    public var keyID: String
    public var publicKeyPEM: String
    public var fetchedAt: Date

    public init(
        url: String, kind: String, preferredUsername: String, name: String?, host: String, inbox: String,
        sharedInbox: String?, followers: String?, keyID: String, publicKeyPEM: String, fetchedAt: Date
    ) {
        self.url = url
        self.kind = kind
        self.preferredUsername = preferredUsername
        self.name = name
        self.host = host
        self.inbox = inbox
        self.sharedInbox = sharedInbox
        self.followers = followers
        self.keyID = keyID
        self.publicKeyPEM = publicKeyPEM
        self.fetchedAt = fetchedAt
    }

    /// The shared inbox when the actor has one (one delivery per host), else its own.
    public var deliveryInbox: String { sharedInbox ?? inbox }
}

/// A follow between two actors (either side local or remote), by actor URL.
public struct FollowRecord: Sendable, Equatable {
    public enum State: String, Sendable {
        case pending, accepted
    }

    public var id: Int64
    public var follower: String
    public var following: String
    public var state: State
    /// The Follow activity's id, for Accept, Reject and Undo.
    public var activityID: String
    public var createdAt: Date
    public var updatedAt: Date
    /// On this instance's follows of other instances: whether it may mirror their videos (issue 6; PeerTube's
    /// `hostRedundancyAllowed`, set with `PUT /api/v1/server/redundancy/{host}`).
    public var redundancyAllowed: Bool

    public init(
        id: Int64, follower: String, following: String, state: State, activityID: String, createdAt: Date,
        updatedAt: Date, redundancyAllowed: Bool = false
    ) {
        self.redundancyAllowed = redundancyAllowed
        self.id = id
        self.follower = follower
        self.following = following
        self.state = state
        self.activityID = activityID
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// Persistence of what federation learns and decides: remote actors, follows, and the inbox's seen activity ids.
public protocol FederationStore: Sendable {
    func remoteActor(url: String) async throws -> RemoteActorRecord?
    func saveRemoteActor(_ actor: RemoteActorRecord) async throws

    /// Creates or replaces the follow of `follower` → `following` (a new Follow restarts it as `state`).
    func saveFollow(follower: String, following: String, activityID: String, state: FollowRecord.State) async throws
        -> FollowRecord
    func follow(follower: String, following: String) async throws -> FollowRecord?
    func follow(activityID: String) async throws -> FollowRecord?
    func setFollowState(id: Int64, _ state: FollowRecord.State) async throws
    func deleteFollow(id: Int64) async throws
    /// Follows of `following` (its followers), or by `follower` (what it follows), in `state` or any; newest first.
    func follows(following: String?, follower: String?, state: FollowRecord.State?, start: Int, count: Int)
        async throws -> Page<FollowRecord>

    /// Sets whether this instance mirrors the videos of `host`, on `follower`'s follows of actors there; false when
    /// it follows nothing on that host.
    func setRedundancyAllowed(_ allowed: Bool, host: String, follower: String) async throws -> Bool

    /// Whether `follower` has an accepted follow of some actor on `host` (`host[:port]`).
    func follows(host: String, follower: String) async throws -> Bool

    /// Where to deliver to the accepted remote followers of any of `actors`: one inbox per follower, its
    /// shared inbox when it has one (so one delivery per instance), without duplicates.
    func followerInboxes(of actors: [String]) async throws -> [String]

    /// Creates or refreshes the account row of a remote `Person` (keyed by its URL), so its videos can point at it.
    func saveRemoteAccount(url: String, name: String, displayName: String, description: String?, host: String)
        async throws -> Account
    /// Likewise for a remote `Group` (a channel), owned by a remote account.
    func saveRemoteChannel(
        url: String, accountId: Int64, name: String, displayName: String, description: String?, support: String?,
        host: String
    ) async throws -> Channel

    /// Records an inbox activity id; false when it was already seen (the inbox is idempotent on `id`).
    func markSeen(activityID: String, at date: Date) async throws -> Bool
    /// Forgets an activity id whose processing failed, so the sender's retry is processed.
    func forgetSeen(activityID: String) async throws

    /// Forgets activity ids seen before `seenBefore` (a replay that old fails its signature's date window anyway),
    /// and cached remote actors fetched before `actorsFetchedBefore` that nothing refers to (no follow either way,
    /// no remote account or channel): both tables would otherwise grow with every stranger who writes. Returns how
    /// many rows of each went.
    func purge(seenBefore: Date, actorsFetchedBefore: Date) async throws -> (seen: Int, actors: Int)
}

extension FederationStore {
    /// Follows in any state.
    public func follows(following: String?, follower: String?, start: Int, count: Int) async throws
        -> Page<FollowRecord>
    {
        try await follows(following: following, follower: follower, state: nil, start: start, count: count)
    }

    /// The account row of a remote actor as cached (its preferred username, its name or else that, its host).
    public func saveRemoteAccount(for actor: RemoteActorRecord) async throws -> Account {
        try await saveRemoteAccount(
            url: actor.url, name: actor.preferredUsername, displayName: actor.name ?? actor.preferredUsername,
            description: nil, host: actor.host)
    }
}
