/// JSON-LD `@context`s as PeerTube sends them (`server/core/helpers/activity-pub-utils.ts`).
public enum ActivityContext {
    public static let activityStreams = "https://www.w3.org/ns/activitystreams"
    public static let publicAudience = "https://www.w3.org/ns/activitystreams#Public"

    /// The base: ActivityStreams, security v1, and RsaSignature2017.
    public static let base: JSONValue = [
        .string(activityStreams), "https://w3id.org/security/v1",
        ["RsaSignature2017": "https://w3id.org/security#RsaSignature2017"],
    ]

    /// A video's chapters (PeerTube's `Chapters` context).
    public static let chapters: JSONValue = [
        .string(activityStreams), "https://w3id.org/security/v1",
        [
            "RsaSignature2017": "https://w3id.org/security#RsaSignature2017", "sc": "http://schema.org/",
            "hasPart": "sc:hasPart", "endOffset": "sc:endOffset", "startOffset": "sc:startOffset",
        ],
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

    /// The Video context: the base plus PeerTube's and schema.org's terms its objects use.
    public static let video: JSONValue = [
        .string(activityStreams), "https://w3id.org/security/v1",
        [
            "RsaSignature2017": "https://w3id.org/security#RsaSignature2017",
            "pt": "https://joinpeertube.org/ns#", "sc": "http://schema.org/",
            "Hashtag": "as:Hashtag", "category": "sc:category", "licence": "sc:license",
            "subtitleLanguage": "sc:subtitleLanguage", "sensitive": "as:sensitive", "language": "sc:inLanguage",
            "identifier": "sc:identifier", "isLiveBroadcast": "sc:isLiveBroadcast", "Infohash": "pt:Infohash",
            "originallyPublishedAt": "sc:datePublished", "uploadDate": "sc:uploadDate", "hasParts": "sc:hasParts",
            "canReply": "pt:canReply", "PropertyValue": "sc:PropertyValue", "value": "sc:value",
            "uuid": ["@type": "sc:identifier", "@id": "pt:uuid"], "views": ["@type": "sc:Number", "@id": "pt:views"],
            "state": ["@type": "sc:Number", "@id": "pt:state"], "size": ["@type": "sc:Number", "@id": "pt:size"],
            "fps": ["@type": "sc:Number", "@id": "pt:fps"],
            "commentsEnabled": ["@type": "sc:Boolean", "@id": "pt:commentsEnabled"],
            "commentsPolicy": ["@type": "sc:Number", "@id": "pt:commentsPolicy"],
            "downloadEnabled": ["@type": "sc:Boolean", "@id": "pt:downloadEnabled"],
            "waitTranscoding": ["@type": "sc:Boolean", "@id": "pt:waitTranscoding"],
            "support": ["@type": "sc:Text", "@id": "pt:support"],
            "likes": ["@id": "as:likes", "@type": "@id"], "dislikes": ["@id": "as:dislikes", "@type": "@id"],
            "shares": ["@id": "as:shares", "@type": "@id"], "comments": ["@id": "as:comments", "@type": "@id"],
        ],
    ]
}
