import HerdFederation
import Testing

@Suite("Activities, actors and addresses")
struct ActivityParsingTests {
    @Test("an inbox activity needs an id, a type, an actor and an object; references may be URLs or objects")
    func incoming() throws {
        let follow: JSONValue = [
            "id": "https://m.example/follows/1", "type": "Follow", "actor": ["id": "https://m.example/users/a"],
            "object": "https://h.example/accounts/peertube",
        ]
        let activity = try IncomingActivity(follow)
        #expect(activity.type == .follow)
        #expect(activity.actor == "https://m.example/users/a")
        #expect(activity.object.id == "https://h.example/accounts/peertube")
        #expect(ActivityType("Arrive") == .other("Arrive"))
        #expect(throws: IncomingActivity.Invalid.notAnObject) { try IncomingActivity(["a"]) }
        for (field, invalid) in [
            ("id", IncomingActivity.Invalid.missing("id")), ("type", .missing("type")),
            ("actor", .missing("actor")), ("object", .missing("object")),
        ] {
            guard case .object(var fields) = follow else { return }
            fields[field] = nil
            #expect(throws: invalid) { try IncomingActivity(.object(fields)) }
        }
        guard case .object(var fields) = follow else { return }
        fields["actor"] = "javascript:alert(1)"
        #expect(throws: IncomingActivity.Invalid.notHTTP("actor")) { try IncomingActivity(.object(fields)) }
    }

    @Test("a remote actor document must come from its own host, with its inbox and key there too")
    func remoteActor() throws {
        let document: JSONValue = [
            "id": "https://m.example/users/a", "type": "Person", "preferredUsername": "a",
            "inbox": "https://m.example/users/a/inbox", "endpoints": ["sharedInbox": "https://m.example/inbox"],
            "publicKey": [
                "id": "https://m.example/users/a#main-key", "owner": "https://m.example/users/a",
                "publicKeyPem": "PEM",
            ],
        ]
        let actor = try RemoteActor(document: document, fetchedURL: "https://m.example/users/a")
        #expect(actor.deliveryInbox == "https://m.example/inbox")
        #expect(actor.host == "m.example")
        #expect(throws: RemoteActor.Invalid.notFetchedURL) {
            try RemoteActor(document: document, fetchedURL: "https://evil.example/users/a")
        }
        guard case .object(var fields) = document else { return }
        fields["inbox"] = "https://evil.example/inbox"
        #expect(throws: RemoteActor.Invalid.foreignURL("inbox")) {
            try RemoteActor(document: .object(fields), fetchedURL: "https://m.example/users/a")
        }
        fields["inbox"] = "https://m.example/users/a/inbox"
        fields["publicKey"] = [
            "id": "https://m.example/users/b#main-key", "owner": "https://m.example/users/b",
            "publicKeyPem": "PEM",
        ]
        #expect(throws: RemoteActor.Invalid.foreignURL("publicKey.owner")) {
            try RemoteActor(document: .object(fields), fetchedURL: "https://m.example/users/a")
        }
        fields["publicKey"] = nil
        #expect(throws: RemoteActor.Invalid.missing("publicKey.publicKeyPem")) {
            try RemoteActor(document: .object(fields), fetchedURL: "https://m.example/users/a")
        }
    }

    @Test(
        "private, loopback and link-local addresses are refused; public ones pass",
        arguments: [
            ("127.0.0.1", true), ("10.1.2.3", true), ("172.16.0.1", true), ("172.32.0.1", false), ("192.168.1.1", true),
            ("169.254.1.1", true), ("100.64.0.1", true), ("0.0.0.0", true), ("224.0.0.1", true), ("8.8.8.8", false),
            ("::1", true), ("::", true), ("fd00::1", true), ("fe80::1", true), ("ff02::1", true),
            ("2001:db8::1", false),
            ("::ffff:127.0.0.1", true), ("::ffff:8.8.8.8", false), ("not an address", true),
        ])
    func addresses(address: String, isPrivate: Bool) {
        #expect(AddressPolicy.isPrivate(address) == isPrivate)
    }

    @Test("URL parts compare origins; request targets keep the query")
    func urlParts() {
        #expect(URLParts("https://Host.Example:8443/a/b?c#d")?.authority == "host.example:8443")
        #expect(URLParts("https://host.example:8443/a/b?c#d")?.host == "host.example")
        #expect(URLParts("https://host.example")?.path == "/")
        #expect(URLParts("ftp://host.example/") == nil)
        #expect(URLParts("https://user@host.example/") == nil)
        #expect(URLParts.target(of: "https://h.example/inbox?x=1#frag") == "/inbox?x=1")
        #expect(URLParts.target(of: "https://h.example") == "/")
    }

    @Test("JSON values round-trip and outgoing activities have PeerTube's shapes")
    func shapes() throws {
        let follow = Activities.follow(
            id: "https://a.example/accounts/peertube/follows/1", actor: "https://a.example/accounts/peertube",
            object: "https://b.example/accounts/peertube")
        #expect(try JSONValue.parse(follow.serialized) == follow)
        let accept = Activities.answer(
            .accept, id: "https://b.example/accepts/follows/1", actor: "https://b.example/accounts/peertube",
            follow: follow)
        #expect(accept["type"] == "Accept")
        #expect(accept["object"]?["@context"] == nil)
        #expect(accept["object"]?["id"]?.string == "https://a.example/accounts/peertube/follows/1")
        let small: JSONValue = ["n": 3, "s": "a/b", "b": true, "z": nil]
        #expect(String(decoding: small.serialized, as: UTF8.self) == #"{"b":true,"n":3,"s":"a/b","z":null}"#)
        #expect(try JSONValue.parse(Array(#"{"b":true,"n":1.5}"#.utf8)) == ["b": true, "n": .number(1.5)])
    }
}
