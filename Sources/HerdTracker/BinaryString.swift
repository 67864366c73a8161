/// WebTorrent's "binary strings": JavaScript strings with one character per byte (U+0000–U+00FF, i.e. latin-1),
/// which is how `info_hash`, `peer_id`, `to_peer_id` and `offer_id` travel in the WebSocket tracker's JSON.
enum BinaryString {
    /// The bytes of a binary string; nil if any scalar is above U+00FF. Counts scalars, not characters (Swift
    /// would merge "\r\n" into one character).
    static func bytes(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            guard scalar.value <= 0xFF else { return nil }
            out.append(UInt8(scalar.value))
        }
        return out
    }

    static func string(_ bytes: some Sequence<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes { scalars.append(Unicode.Scalar(byte)) }
        return String(scalars)
    }

    /// Exactly 20 bytes, or nil. Only the binary form is accepted: WebTorrent and bittorrent-tracker always send
    /// it, and refusing 40-hex keeps one spelling per id.
    static func twenty(_ value: JSONValue?) -> [UInt8]? {
        guard let text = value?.string, let bytes = bytes(text), bytes.count == 20 else { return nil }
        return bytes
    }
}

extension InfoHash {
    /// The info-hash as a WebTorrent binary string.
    public var binaryString: String { BinaryString.string(bytes) }
}

extension PeerID {
    /// The peer id as a WebTorrent binary string.
    public var binaryString: String { BinaryString.string(bytes) }
}
