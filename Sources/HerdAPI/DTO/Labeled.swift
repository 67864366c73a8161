/// PeerTube's `{id, label}` pairs for enums and constants.
struct Labeled<ID: Encodable & Sendable>: Encodable, Sendable {
    var id: ID
    var label: String
}

/// `{id: null, label: "Unknown"}` for unset constants, as PeerTube writes them.
struct OptionalLabeled<ID: Encodable & Sendable>: Encodable, Sendable {
    var id: ID?
    var label: String
}
