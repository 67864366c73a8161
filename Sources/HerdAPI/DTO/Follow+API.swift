import HerdCore
import HerdFederation
import HerdProcessing

/// A follow between instances, as PeerTube lists them (`/api/v1/server/following`, `/followers`).
struct FollowDTO: Encodable, Sendable {
    var id: Int64
    var follower: FollowActorDTO
    var following: FollowActorDTO
    var score: Int
    var state: String
    var createdAt: String
    var updatedAt: String

    init(_ listed: InstanceFollows.Listed) {
        let follow = listed.follow
        id = follow.id
        follower = FollowActorDTO(follow.follower, known: listed.follower)
        following = FollowActorDTO(
            follow.following, known: listed.following, redundancyAllowed: follow.redundancyAllowed)
        score = 1
        state = follow.state.rawValue
        createdAt = isoDate(follow.createdAt)
        updatedAt = isoDate(follow.updatedAt)
    }
}

struct FollowActorDTO: Encodable, Sendable {
    var url: String
    var name: String
    var host: String
    var displayName: String
    /// On followed instances: whether this instance mirrors their videos.
    var hostRedundancyAllowed: Bool?

    init(_ url: String, known remote: RemoteActorRecord?, redundancyAllowed: Bool? = nil) {
        let name = url.split(separator: "/").last.map(String.init) ?? url
        self.url = url
        self.name = remote?.preferredUsername ?? name
        host = remote?.host ?? URLParts(url)?.authority ?? ""
        displayName = remote.map { $0.name ?? name } ?? name
        hostRedundancyAllowed = redundancyAllowed
    }
}
