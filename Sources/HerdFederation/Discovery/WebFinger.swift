/// WebFinger (RFC 7033) for actors, as PeerTube answers it: `acct:name@host` → the actor's URL.
public enum WebFinger {
    /// The `name` of `acct:name@host` (or `name@host`) when `host` is this instance's; nil otherwise.
    public static func localName(resource: String, host: String) -> String? {
        var text = Substring(resource)
        if text.hasPrefix("acct:") { text = text.dropFirst(5) }
        if text.hasPrefix("@") { text = text.dropFirst() }
        guard let at = text.lastIndex(of: "@") else { return nil }
        let name = text[..<at]
        guard !name.isEmpty, text[text.index(after: at)...].lowercased() == host.lowercased() else { return nil }
        return String(name)
    }

    /// The JRD document (RFC 7033 §4.4) for a local actor.
    public static func document(name: String, host: String, actorURL: String, baseURL: String) -> JSONValue {
        [
            "subject": .string("acct:\(name)@\(host)"),
            "aliases": [.string(actorURL)],
            "links": [
                ["rel": "self", "type": "application/activity+json", "href": .string(actorURL)],
                [
                    "rel": "http://ostatus.org/schema/1.0/subscribe",
                    "template": .string("\(baseURL)/remote-interaction?uri={uri}"),
                ],
            ],
        ]
    }

    /// host-meta (RFC 6415) pointing at the WebFinger endpoint, for older fediverse software.
    public static func hostMeta(baseURL: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">
          <Link rel="lrdd" type="application/xrd+xml" template="\(baseURL)/.well-known/webfinger?resource={uri}"/>
        </XRD>

        """
    }
}
