/// A refusal with a human-readable reason: HTTP trackers send it as `failure reason` in a bencoded dictionary
/// (BEP 3, with status 200); the WebSocket tracker as `failure reason` in JSON.
public struct TrackerFailure: Error, Hashable, Sendable, CustomStringConvertible {
    public let reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }

    public static let unknownInfoHash = TrackerFailure("unknown info-hash")

    static func missing(_ name: String) -> TrackerFailure { TrackerFailure("missing \(name)") }
}
