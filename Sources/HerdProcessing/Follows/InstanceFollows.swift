import Foundation
import HerdCore
import HerdFederation

/// This instance's follows of other instances and their follows of it (PeerTube's `/api/v1/server/following` and
/// `/followers`): the instance actor sends `Follow` to each host's instance actor and `Undo` when it stops (the
/// host's videos go then, as in PeerTube), and answers followers with `Accept` or `Reject` when
/// `federation.auto_accept_followers` is off.
public final class InstanceFollows: Sendable {
    let stores: Stores
    let actors: LocalActors
    let resolver: RemoteActorResolver
    let outbox: Outbox
    let removal: VideoRemoval
    let settings: Settings

    public init(
        stores: Stores, actors: LocalActors, resolver: RemoteActorResolver, outbox: Outbox, removal: VideoRemoval,
        settings: Settings
    ) {
        self.stores = stores
        self.actors = actors
        self.resolver = resolver
        self.outbox = outbox
        self.removal = removal
        self.settings = settings
    }

    var me: String { actors.urls.instanceActor }

    func requireFederation() throws {
        guard settings.federation.enabled, resolver.fetcher.enabled else {
            throw HerdError.forbidden("federation is disabled on this instance")
        }
    }

    /// A host's instance actor URL (`scheme://host/accounts/peertube`), with this instance's scheme.
    public func instanceActorURL(host: String) throws -> String {
        let trimmed = host.trimmingCharacters(in: .whitespaces).lowercased()
        guard !trimmed.isEmpty, trimmed.count <= 255,
            trimmed.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == ":" }),
            URLParts("http://\(trimmed)/")?.authority == trimmed
        else { throw HerdError.badRequest("\(host) is not a host name") }
        guard trimmed != settings.publicHost.lowercased() else {
            throw HerdError.badRequest("an instance cannot follow itself")
        }
        let scheme = settings.webserverHTTPS ? "https" : "http"
        return "\(scheme)://\(trimmed)/accounts/\(ActorURLs.instanceActorName)"
    }

    /// Follows each host's instance actor (pending until it accepts).
    public func follow(hosts: [String]) async throws {
        try requireFederation()
        guard !hosts.isEmpty, hosts.count <= 100 else { throw HerdError.badRequest("hosts must list 1 to 100 hosts") }
        let targets = try hosts.map(instanceActorURL(host:))
        let policy = FederationPolicy(settings.federation)
        if let refused = targets.first(where: { !policy.allows(url: $0) }) {
            throw HerdError.badRequest(
                "\(URLParts(refused)?.authority ?? refused) is outside federation.allowlist or blocked")
        }
        let instance = try await actors.instanceAccount()
        for target in targets {
            let remote = try await resolver.actor(target, refresh: true)
            let (me, activityID) = (me, "\(me)/follows/\(UUID().lowercasedString)")
            // The follow and its delivery commit together: never a pending follow that no `Follow` will answer.
            try await stores.transaction {
                _ = try await self.stores.federation.saveFollow(
                    follower: me, following: remote.url, activityID: activityID, state: .pending)
                try await self.outbox.send(
                    Activities.follow(id: activityID, actor: me, object: remote.url), to: [remote.inbox],
                    from: .account(instance.id))
            }
        }
    }

    /// Stops following `host`: `Undo` of the follow, and the host's videos removed.
    public func unfollow(host: String) async throws {
        try requireFederation()
        let target = try instanceActorURL(host: host)
        let instance = try await actors.instanceAccount()
        guard let follow = try await stores.federation.follow(follower: me, following: target) else {
            throw HerdError.notFound("this instance does not follow that host")
        }
        let me = me
        try await stores.transaction {
            try await self.stores.federation.deleteFollow(id: follow.id)
            if let remote = try await self.stores.federation.remoteActor(url: target) {
                let undo = Activities.undo(
                    id: "\(follow.activityID)/undo", actor: me,
                    object: Activities.follow(id: follow.activityID, actor: me, object: target))
                try await self.outbox.send(undo, to: [remote.inbox], from: .account(instance.id))
            }
        }
        try await removeVideos(of: URLParts(target)?.authority ?? "")
    }

    /// After an unfollow: the host's videos go too (as in PeerTube), unless this instance still follows it.
    func removeVideos(of host: String) async throws {
        guard !host.isEmpty, try await !stores.federation.follows(host: host, follower: me) else { return }
        while true {
            let page = try await stores.videos.list(
                VideoQuery(pagination: Pagination(count: 100), privacies: [], onlyPublished: false, host: host))
            if page.data.isEmpty { break }
            for item in page.data { try await removal.remove(item.video) }
        }
    }

    /// Whether this instance mirrors the videos of `host`, an instance it follows (issue 6).
    public func setRedundancyAllowed(_ allowed: Bool, host: String) async throws {
        guard try await stores.federation.setRedundancyAllowed(allowed, host: host.lowercased(), follower: me)
        else { throw HerdError.notFound("this instance does not follow \(host)") }
    }

    /// One follow with what is known of both actors (a local actor is nil).
    public struct Listed: Sendable {
        public var follow: FollowRecord
        public var follower: RemoteActorRecord?
        public var following: RemoteActorRecord?
    }

    /// Whom this instance follows (`following`), or who follows it.
    public func list(following: Bool, pagination: Pagination) async throws -> Page<Listed> {
        let page = try await stores.federation.follows(
            following: following ? nil : me, follower: following ? me : nil, start: pagination.start,
            count: pagination.count)
        var data: [Listed] = []
        for follow in page.data {
            data.append(
                Listed(
                    follow: follow, follower: try await stores.federation.remoteActor(url: follow.follower),
                    following: try await stores.federation.remoteActor(url: follow.following)))
        }
        return Page(total: page.total, data: data)
    }

    /// Accepts the pending follow of the instance by `handle` (`name@host`): `Accept` goes back.
    public func accept(follower handle: String) async throws {
        let (follow, actor) = try await follower(handle)
        guard follow.state == .pending else { return }
        try await stores.transaction {
            try await self.stores.federation.setFollowState(id: follow.id, .accepted)
            try await self.answer(.accept, follow, actor)
        }
    }

    /// Refuses or ends the follow of the instance by `handle`: `Reject` goes back.
    public func reject(follower handle: String) async throws {
        let (follow, actor) = try await follower(handle)
        try await stores.transaction {
            try await self.stores.federation.deleteFollow(id: follow.id)
            try await self.answer(.reject, follow, actor)
        }
    }

    /// The follow of the instance actor by `name@host`, with the follower.
    func follower(_ handle: String) async throws -> (FollowRecord, RemoteActorRecord) {
        let parts = handle.split(separator: "@", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw HerdError.badRequest("the follower must be given as name@host") }
        let page = try await stores.federation.follows(following: me, follower: nil, start: 0, count: 10_000)
        for follow in page.data {
            if let actor = try await stores.federation.remoteActor(url: follow.follower),
                actor.preferredUsername == parts[0], actor.host == parts[1].lowercased()
            {
                return (follow, actor)
            }
        }
        throw HerdError.notFound("no follower \(handle)")
    }

    /// `Accept` or `Reject` of the follower's `Follow`, from the instance actor.
    func answer(_ type: ActivityType, _ follow: FollowRecord, _ actor: RemoteActorRecord) async throws {
        guard settings.federation.enabled else { return }
        let followActivity = Activities.follow(id: follow.activityID, actor: follow.follower, object: me)
        let path = type == .accept ? "accepts" : "rejects"
        let activity = Activities.answer(
            type, id: "\(actors.urls.baseURL)/\(path)/follows/\(follow.id)-\(UUID().lowercasedString)", actor: me,
            follow: followActivity)
        try await outbox.send(activity, to: [actor.inbox], from: .account(try await actors.instanceAccount().id))
    }
}
