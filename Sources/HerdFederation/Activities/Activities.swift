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

    /// `Create`, `Update` of an object (its `@context` moves to the activity), addressed like the object.
    public static func wrap(_ type: ActivityType, id: String, actor: String, object: JSONValue) -> JSONValue {
        var fields = object.object ?? [:]
        let context = fields.removeValue(forKey: "@context") ?? ActivityContext.base
        return [
            "@context": context, "type": .string(type.name), "id": .string(id), "actor": .string(actor),
            "to": fields["to"] ?? [.string(ActivityContext.publicAudience)], "cc": fields["cc"] ?? [],
            "object": .object(fields),
        ]
    }

    /// `Delete` of an object by URL (PeerTube's id: `<object>/delete`).
    public static func delete(object: String, actor: String, cc: [String] = []) -> JSONValue {
        [
            "@context": ActivityContext.base, "type": "Delete", "id": .string(object + "/delete"),
            "actor": .string(actor), "to": [.string(ActivityContext.publicAudience)],
            "cc": .array(cc.map(JSONValue.string)),
            "object": .string(object),
        ]
    }

    /// `Announce` of an object by URL (PeerTube's id: `<object>/announces/<n>`), as the instance actor shares videos.
    public static func announce(id: String, actor: String, object: String, cc: [String]) -> JSONValue {
        [
            "@context": ActivityContext.base, "type": "Announce", "id": .string(id), "actor": .string(actor),
            "to": [.string(ActivityContext.publicAudience)], "cc": .array(cc.map(JSONValue.string)),
            "object": .string(object),
        ]
    }

    /// `Like` or `Dislike` of a video (PeerTube's ids: `<actor>/likes/<videoId>`, `<actor>/dislikes/<videoId>`).
    public static func rate(_ type: ActivityType, id: String, actor: String, object: String) -> JSONValue {
        [
            "@context": ActivityContext.base, "type": .string(type.name), "id": .string(id), "actor": .string(actor),
            "object": .string(object),
        ]
    }

    /// `View` of a video with a count of views gathered since the last one (Herd batches views; a count of one is
    /// PeerTube's single view).
    public static func views(id: String, actor: String, object: String, count: Int) -> JSONValue {
        [
            "@context": ActivityContext.base, "type": "View", "id": .string(id), "actor": .string(actor),
            "object": .string(object),
            "result": [
                "type": "InteractionCounter", "interactionType": "WatchAction",
                "userInteractionCount": JSONValue(count),
            ],
        ]
    }

    /// `Flag` (a report) of an object, with the reason as `content`.
    public static func flag(id: String, actor: String, object: String, content: String) -> JSONValue {
        [
            "@context": ActivityContext.base, "type": "Flag", "id": .string(id), "actor": .string(actor),
            "object": [.string(object)], "content": .string(content),
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
