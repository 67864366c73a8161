import Foundation
import HerdCore
import HerdFederation
import HerdProcessing

/// Handles a verified inbox activity: once per activity `id`, one verb per file (`Inbox+Follow.swift`, …),
/// dispatched exhaustively; types Herd does not handle are accepted and ignored.
struct Inbox: Sendable {
    let services: APIServices
    let actors: LocalActors
    let resolver: RemoteActorResolver

    var stores: Stores { services.stores }
    var outbox: Outbox { Outbox(stores: services.stores, clock: services.clock) }
    var videos: RemoteVideos { RemoteVideos(services: services, resolver: resolver) }

    var comments: RemoteComments { RemoteComments(services: services, resolver: resolver) }
    var mirrors: RemoteMirrors { RemoteMirrors(services: services, comments: comments) }

    /// Handles `activity`, signed by `signer`: its actor, or another instance forwarding it (the origin of a video
    /// passing on a comment on it), in which case only what can be checked at its source is taken.
    func receive(_ activity: IncomingActivity, from signer: RemoteActorRecord) async throws {
        guard try await stores.federation.markSeen(activityID: activity.id, at: services.clock.now()) else { return }
        do {
            if signer.url == activity.actor {
                try await dispatch(activity, from: signer)
            } else {
                try await forwarded(activity, by: signer)
            }
        } catch {
            // Not processed: the sender's retry must not be taken for a repeat.
            try? await stores.federation.forgetSeen(activityID: activity.id)
            throw error
        }
    }

    func dispatch(_ activity: IncomingActivity, from signer: RemoteActorRecord) async throws {
        switch activity.type {
        case .follow: try await follow(activity, from: signer)
        case .accept: try await accept(activity)
        case .reject: try await reject(activity)
        case .undo: try await undo(activity, from: signer)
        case .create: try await create(activity, from: signer)
        case .update: try await update(activity, from: signer)
        case .delete: try await delete(activity, from: signer)
        case .announce: try await announce(activity, from: signer)
        case .like: try await rate(activity, .like, from: signer)
        case .dislike: try await rate(activity, .dislike, from: signer)
        case .view: try await view(activity)
        case .flag: try await flag(activity, from: signer)
        case .other: break
        }
    }

    /// A forwarded activity (signer ≠ actor): a `Create` of a comment is fetched from its author's instance, and a
    /// `Delete` is believed only when that instance no longer has the comment; a mirror's `CacheFile` likewise. Anything else is ignored: the
    /// forwarder cannot speak for the actor.
    func forwarded(_ activity: IncomingActivity, by signer: RemoteActorRecord) async throws {
        guard let url = activity.object.id, URLParts(url)?.authority == URLParts(activity.actor)?.authority else {
            return
        }
        switch activity.type {
        case .create where activity.object.type == "CacheFile", .update where activity.object.type == "CacheFile":
            // A mirror's copy of a remote video, passed on by the video's origin (issue 6).
            try await mirrors.fetchAndSave(url, forwardedBy: signer)
        case .undo:
            if let cache = Self.undoneCacheFile(activity.object)?.id {
                try await mirrors.deleteIfGone(cache, forwardedBy: signer)
            }
        case .create:
            _ = try await comments.fetchAndSave(url, author: activity.actor)
        case .delete:
            _ = try await comments.deleteIfGone(url, author: activity.actor)
        default: break
        }
    }
}
