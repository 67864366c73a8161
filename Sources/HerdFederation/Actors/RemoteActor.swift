/// A remote actor as read from its ActivityPub document: where to deliver to it and the key it signs with.
public struct RemoteActor: Sendable, Equatable {
    public var url: String
    public var kind: String
    public var preferredUsername: String
    public var name: String?
    public var inbox: String
    public var sharedInbox: String?
    public var followers: String?
    public var keyID: String
    public var publicKeyPEM: String

    public init(
        url: String, kind: String, preferredUsername: String, name: String?, inbox: String, sharedInbox: String?,
        followers: String?, keyID: String, publicKeyPEM: String
    ) {
        self.url = url
        self.kind = kind
        self.preferredUsername = preferredUsername
        self.name = name
        self.inbox = inbox
        self.sharedInbox = sharedInbox
        self.followers = followers
        self.keyID = keyID
        self.publicKeyPEM = publicKeyPEM
    }

    public enum Invalid: Error, Equatable, CustomStringConvertible {
        case missing(String)
        case foreignURL(String)
        case notFetchedURL

        public var description: String {
            switch self {
            case .missing(let field): "the actor document has no \(field)"
            case .foreignURL(let field): "the actor's \(field) is on another host than the actor"
            case .notFetchedURL: "the actor document's id is not the URL it was fetched from"
            }
        }
    }

    /// Reads an actor document fetched from `fetchedURL` (the key id with its fragment dropped, or the actor URL).
    /// The id must be on the host it was fetched from (the document cannot speak for another server), and so must
    /// its inbox and key; `publicKey.owner`, when present, must be the actor.
    public init(document json: JSONValue, fetchedURL: String) throws(Invalid) {
        guard let id = json["id"]?.string, let idParts = URLParts(id) else { throw .missing("id") }
        guard let fetched = URLParts(fetchedURL), fetched.authority == idParts.authority else {
            throw .notFetchedURL
        }
        guard let kind = json.type else { throw .missing("type") }
        guard let inbox = json["inbox"]?.string, let inboxParts = URLParts(inbox) else { throw .missing("inbox") }
        guard inboxParts.authority == idParts.authority else { throw .foreignURL("inbox") }
        guard let key = json["publicKey"], let pem = key["publicKeyPem"]?.string else {
            throw .missing("publicKey.publicKeyPem")
        }
        let keyID = key["id"]?.string ?? id
        guard URLParts(keyID)?.authority == idParts.authority else { throw .foreignURL("publicKey.id") }
        if let owner = key["owner"]?.string, owner != id { throw .foreignURL("publicKey.owner") }
        self.init(
            url: id, kind: kind, preferredUsername: json["preferredUsername"]?.string ?? "", name: json["name"]?.string,
            inbox: inbox, sharedInbox: json["endpoints"]?["sharedInbox"]?.string, followers: json["followers"]?.string,
            keyID: keyID, publicKeyPEM: pem)
    }

    public var host: String { URLParts(url)?.authority ?? "" }
    /// Where to deliver: the shared inbox when the actor has one (one delivery per host), else its own inbox.
    public var deliveryInbox: String { sharedInbox ?? inbox }
}
