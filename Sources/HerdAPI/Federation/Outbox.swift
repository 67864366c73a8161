import Foundation
import HerdCore
import HerdFederation

/// The durable outbox: each activity for each inbox is a job (`activitypub-http-unicast`, PeerTube's name) that
/// the delivery workers sign and POST, retrying with exponential backoff for days when the host fails.
public struct Outbox: Sendable {
    public static let jobKind = "activitypub-http-unicast"
    /// With backoff capped at an hour, 60 attempts keep a delivery alive about two and a half days.
    public static let maxAttempts = 60

    /// What a delivery job carries.
    public struct Delivery: Codable, Sendable {
        public var inbox: String
        /// The activity, serialized once: every retry sends the same bytes.
        public var activity: String
        /// `account:<id>` or `channel:<id>`: whose key signs it.
        public var signer: String

        public init(inbox: String, activity: String, signer: LocalActor) {
            self.inbox = inbox
            self.activity = activity
            self.signer =
                switch signer {
                case .account(let id): "account:\(id)"
                case .channel(let id): "channel:\(id)"
                }
        }

        public var signerActor: LocalActor? {
            let parts = signer.split(separator: ":")
            guard parts.count == 2, let id = Int64(parts[1]) else { return nil }
            switch parts[0] {
            case "account": return .account(id)
            case "channel": return .channel(id)
            default: return nil
            }
        }
    }

    let stores: Stores
    let clock: any WallClock

    public init(stores: Stores, clock: any WallClock) {
        self.stores = stores
        self.clock = clock
    }

    /// Queues `activity` for each inbox (duplicates removed: one delivery per shared inbox).
    public func send(_ activity: JSONValue, to inboxes: [String], from signer: LocalActor) async throws {
        let text = String(decoding: activity.serialized, as: UTF8.self)
        var seen: Set<String> = []
        for inbox in inboxes where seen.insert(inbox).inserted {
            let payload = try JSONEncoder().encode(Delivery(inbox: inbox, activity: text, signer: signer))
            _ = try await stores.jobs.enqueue(
                kind: Self.jobKind, payload: payload, runAfter: clock.now(), maxAttempts: Self.maxAttempts)
        }
    }
}
