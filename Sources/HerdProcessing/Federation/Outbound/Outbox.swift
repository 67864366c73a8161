import Foundation
import HerdCore
import HerdFederation

/// The durable outbox: each activity for each inbox is a job (`activitypub-http-unicast`, PeerTube's name) that
/// the delivery workers sign and POST, retrying with exponential backoff for days when the host fails.
public final class Outbox: Sendable {
    /// With backoff capped at an hour, 60 attempts keep a delivery alive about two and a half days.
    public static let maxAttempts = 60

    public let stores: Stores
    public let clock: any WallClock

    public init(stores: Stores, clock: any WallClock) {
        self.stores = stores
        self.clock = clock
    }

    /// Queues `activity` for each inbox (duplicates removed: one delivery per shared inbox).
    public func send(_ activity: JSONValue, to inboxes: [String], from signer: LocalActor) async throws {
        let text = String(decoding: activity.serialized, as: UTF8.self)
        var seen: Set<String> = []
        for inbox in inboxes where seen.insert(inbox).inserted {
            try await stores.jobs.enqueue(
                DeliverActivityPayload(inbox: inbox, activity: text, signer: signer), runAfter: clock.now(),
                maxAttempts: Self.maxAttempts)
        }
    }
}
