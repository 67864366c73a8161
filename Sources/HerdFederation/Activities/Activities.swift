/// Outgoing activities in PeerTube's shapes and id patterns (`server/core/lib/activitypub/url.ts`).
public enum Activities {
    /// `Follow`: id `<follower>/follows/<n>`, object = the followed actor's URL.
    public static func follow(id: String, actor: String, object: String) -> JSONValue {
        [
            "@context": ActivityContext.base, "type": "Follow", "id": .string(id), "actor": .string(actor),
            "object": .string(object),
        ]
    }

    /// `Accept` or `Reject` of a follow, embedding the follow.
    public static func answer(_ type: ActivityType, id: String, actor: String, follow: JSONValue) -> JSONValue {
        var embedded = follow
        if case .object(var fields) = embedded {
            fields["@context"] = nil
            embedded = .object(fields)
        }
        return [
            "@context": ActivityContext.base, "type": .string(type.name), "id": .string(id),
            "actor": .string(actor), "object": embedded,
        ]
    }

    /// `Undo` of an earlier activity of the same actor.
    public static func undo(id: String, actor: String, object: JSONValue) -> JSONValue {
        var embedded = object
        if case .object(var fields) = embedded {
            fields["@context"] = nil
            embedded = .object(fields)
        }
        return [
            "@context": ActivityContext.base, "type": "Undo", "id": .string(id), "actor": .string(actor),
            "object": embedded,
        ]
    }
}
