import Foundation
import HerdCore
import HerdFederation

/// Handles a verified inbox activity: once per activity `id`, one verb per file (`Inbox+Follow.swift`, …),
/// dispatched exhaustively; types Herd does not handle are accepted and ignored.
struct Inbox: Sendable {
    let services: APIServices
    let actors: LocalActors
    let resolver: RemoteActorResolver

    var stores: Stores { services.stores }
    var outbox: Outbox { Outbox(stores: services.stores, clock: services.clock) }
    var videos: RemoteVideos { RemoteVideos(services: services, resolver: resolver) }

    func receive(_ activity: IncomingActivity, from signer: RemoteActorRecord) async throws {
        guard try await stores.federation.markSeen(activityID: activity.id, at: services.clock.now()) else { return }
        switch activity.type {
        case .follow: try await follow(activity, from: signer)
        case .accept: try await accept(activity)
        case .reject: try await reject(activity)
        case .undo: try await undo(activity)
        case .create: try await create(activity, from: signer)
        case .update: try await update(activity, from: signer)
        case .delete: try await delete(activity, from: signer)
        case .announce: try await announce(activity, from: signer)
        case .like, .dislike, .view, .flag, .other:
            break  // Comments and ratings across instances: the next steps of issue 5.
        }
    }
}
