/// PeerTube's `{id, label}` pairs for enums and constants.
struct Labeled<ID: Encodable & Sendable>: Encodable, Sendable {
    var id: ID
    var label: String
}

/// `{id: null, label: "Unknown"}` for unset constants, as PeerTube writes them.
struct OptionalLabeled<ID: Encodable & Sendable>: Encodable, Sendable {
    var id: ID?
    var label: String

    enum CodingKeys: String, CodingKey { case id, label }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)  // null when unset, not left out
        try container.encode(label, forKey: .label)
    }
}
