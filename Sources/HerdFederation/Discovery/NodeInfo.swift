/// NodeInfo 2.0 (nodeinfo.diaspora.software), as PeerTube publishes it: the discovery document at
/// `/.well-known/nodeinfo` and the schema at `/nodeinfo/2.0.json`.
public enum NodeInfo {
    public static let schema20 = "http://nodeinfo.diaspora.software/ns/schema/2.0"

    /// `/.well-known/nodeinfo`; the second link is how PeerTube finds an instance's actor.
    public static func discovery(baseURL: String, instanceActorURL: String) -> JSONValue {
        [
            "links": [
                ["rel": .string(schema20), "href": .string("\(baseURL)/nodeinfo/2.0.json")],
                ["rel": "https://www.w3.org/ns/activitystreams#Application", "href": .string(instanceActorURL)],
            ]
        ]
    }

    public struct Usage: Sendable {
        public var users: Int
        public var activeMonth: Int
        public var activeHalfyear: Int
        public var localPosts: Int
        public var localComments: Int

        public init(users: Int, activeMonth: Int, activeHalfyear: Int, localPosts: Int, localComments: Int) {
            self.users = users
            self.activeMonth = activeMonth
            self.activeHalfyear = activeHalfyear
            self.localPosts = localPosts
            self.localComments = localComments
        }
    }

    /// `/nodeinfo/2.0.json`. Herd reports itself as `peertube`-compatible software named by `softwareName`.
    public static func document(
        softwareName: String, version: String, openRegistrations: Bool, usage: Usage, nodeName: String,
        nodeDescription: String
    ) -> JSONValue {
        [
            "version": "2.0",
            "software": ["name": .string(softwareName), "version": .string(version)],
            "protocols": ["activitypub"],
            "services": ["inbound": [], "outbound": ["atom1.0", "rss2.0"]],
            "openRegistrations": .bool(openRegistrations),
            "usage": [
                "users": [
                    "total": JSONValue(usage.users), "activeMonth": JSONValue(usage.activeMonth),
                    "activeHalfyear": JSONValue(usage.activeHalfyear),
                ],
                "localPosts": JSONValue(usage.localPosts), "localComments": JSONValue(usage.localComments),
            ],
            "metadata": [
                "taxonomy": ["postsName": "Videos"], "nodeName": .string(nodeName),
                "nodeDescription": .string(nodeDescription),
            ],
        ]
    }
}
