/// A 20-byte peer id (BEP 3): chosen by the client at startup, often binary, never secret (trackers hand it out in
/// non-compact peer lists and WebTorrent offers).
public struct PeerID: Hashable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 20 else { return nil }
        self.bytes = Array(bytes)
    }

    /// Lower-case hex, for logs.
    public var description: String { Hex.encode(bytes) }
}
