/// JSON-LD `@context`s as PeerTube sends them (`server/core/helpers/activity-pub-utils.ts`).
public enum ActivityContext {
    public static let activityStreams = "https://www.w3.org/ns/activitystreams"
    public static let publicAudience = "https://www.w3.org/ns/activitystreams#Public"

    /// The base: ActivityStreams, security v1, and RsaSignature2017.
    public static let base: JSONValue = [
        .string(activityStreams), "https://w3id.org/security/v1",
        ["RsaSignature2017": "https://w3id.org/security#RsaSignature2017"],
    ]

    public static let actor: JSONValue = [
        .string(activityStreams), "https://w3id.org/security/v1",
        [
            "RsaSignature2017": "https://w3id.org/security#RsaSignature2017",
            "pt": "https://joinpeertube.org/ns#", "sc": "http://schema.org/",
            "playlists": ["@id": "pt:playlists", "@type": "@id"], "support": ["@type": "sc:Text", "@id": "pt:support"],
            "postingRestrictedToMods": ["@type": "sc:Boolean", "@id": "pt:postingRestrictedToMods"],
            "lemmy": "https://join-lemmy.org/ns#",
        ],
    ]
}
