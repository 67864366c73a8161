/// A local actor as ActivityPub JSON, in PeerTube's shape (`ActorModel.toActivityPubObject`): `Person` for accounts,
/// `Group` for channels, `Application` for the instance actor; `<url>/inbox`, `/outbox`, `/followers`,
/// `/following`, `/playlists`, the shared inbox, and `publicKey` with id `<url>#main-key`.
public struct ActorDocument: Sendable {
    public var kind: ActorKind
    public var url: String
    public var preferredUsername: String
    public var name: String
    public var summary: String?
    public var support: String?
    public var publicKeyPEM: String
    /// ISO 8601.
    public var published: String
    /// For a channel: its owner account's URL.
    public var owner: String?
    public var sharedInbox: String

    public init(
        kind: ActorKind, url: String, preferredUsername: String, name: String, summary: String? = nil,
        support: String? = nil, publicKeyPEM: String, published: String, owner: String? = nil, sharedInbox: String
    ) {
        self.kind = kind
        self.url = url
        self.preferredUsername = preferredUsername
        self.name = name
        self.summary = summary
        self.support = support
        self.publicKeyPEM = publicKeyPEM
        self.published = published
        self.owner = owner
        self.sharedInbox = sharedInbox
    }

    public var keyID: String { "\(url)#main-key" }

    public var json: JSONValue {
        var fields: [String: JSONValue] = [
            "@context": ActivityContext.actor,
            "type": .string(kind.rawValue),
            "id": .string(url),
            "url": .string(url),
            "preferredUsername": .string(preferredUsername),
            "name": .string(name),
            "inbox": .string("\(url)/inbox"),
            "outbox": .string("\(url)/outbox"),
            "followers": .string("\(url)/followers"),
            "following": .string("\(url)/following"),
            "playlists": .string("\(url)/playlists"),
            "endpoints": ["sharedInbox": .string(sharedInbox)],
            "publicKey": ["id": .string(keyID), "owner": .string(url), "publicKeyPem": .string(publicKeyPEM)],
            "published": .string(published),
            "icon": [],
            "image": [],
        ]
        if kind == .person || kind == .group { fields["summary"] = JSONValue(summary) }
        if kind == .group {
            fields["support"] = JSONValue(support)
            fields["postingRestrictedToMods"] = true
            if let owner { fields["attributedTo"] = [["type": "Person", "id": .string(owner)]] }
        }
        return .object(fields)
    }
}
