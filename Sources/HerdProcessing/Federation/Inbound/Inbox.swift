import Foundation
import HerdCore
import HerdCrypto
import HerdFederation

/// The inbox: a signed delivery is checked (HTTP Signature by a known or fetched actor, federation policy), then
/// handled once per activity `id`, one verb per file (`Inbox+Follow.swift`, …), dispatched exhaustively; types
/// Herd does not handle are accepted and ignored.
public final class Inbox: Sendable {
    let stores: Stores
    let actors: LocalActors
    let resolver: RemoteActorResolver
    let outbox: Outbox
    let videos: RemoteVideos
    let comments: RemoteComments
    let mirrors: RemoteMirrors
    /// Activities about local videos from elsewhere (comments, their deletion) go on to the video's followers.
    let forwarding: CommentFederation
    let events: ContentEvents
    let interactions: InteractionTracker
    let settings: FederationSettings
    let clock: any WallClock
    let metrics: ProcessingMetrics

    public init(
        stores: Stores, actors: LocalActors, resolver: RemoteActorResolver, outbox: Outbox, videos: RemoteVideos,
        comments: RemoteComments, mirrors: RemoteMirrors, forwarding: CommentFederation, events: ContentEvents,
        interactions: InteractionTracker,
        settings: FederationSettings, clock: any WallClock, metrics: ProcessingMetrics = ProcessingMetrics()
    ) {
        self.metrics = metrics
        self.stores = stores
        self.actors = actors
        self.resolver = resolver
        self.outbox = outbox
        self.videos = videos
        self.comments = comments
        self.mirrors = mirrors
        self.forwarding = forwarding
        self.events = events
        self.interactions = interactions
        self.settings = settings
        self.clock = clock
    }

    /// Checks and handles one delivery: `signed` is the POST as received (target, headers by lowercased name, body).
    /// Every activity must carry a valid HTTP Signature (draft-cavage-12) by the actor it names; the signer's key is
    /// fetched and cached, and fetched again once when it fails (key rotation).
    public func deliver(_ signed: SignedRequest) async throws {
        var type = "none"
        do {
            let fresh = try await check(signed, type: &type)
            metrics.inbox(type: type, result: fresh ? "accepted" : "duplicate")
        } catch {
            let kind = (error as? HerdError)?.kind
            let result =
                switch kind {
                case .unauthorized, .forbidden: "refused"
                case .badRequest, .unprocessable: "invalid"
                default: "failed"
                }
            metrics.inbox(type: type, result: result)
            throw error
        }
    }

    /// `deliver` less the metrics: false for an activity handled before; `type` is set once the body is read.
    func check(_ signed: SignedRequest, type: inout String) async throws -> Bool {
        guard settings.enabled, resolver.fetcher.enabled else {
            throw HerdError.forbidden("federation is disabled on this instance")
        }
        let (parameters, signingString): (SignatureParameters, String)
        do {
            (parameters, signingString) = try HTTPSignature.check(
                signed, now: Int(clock.now().timeIntervalSince1970))
        } catch {
            throw HerdError(.unauthorized, "invalid HTTP signature: \(error)")
        }
        let activity: IncomingActivity
        do {
            activity = try IncomingActivity(try JSONValue.parse(signed.body))
        } catch let error as IncomingActivity.Invalid {
            throw HerdError.badRequest(error.description)
        } catch {
            throw HerdError.badRequest("the body is not JSON")
        }
        type = activity.type.metricLabel
        // An activity's id is on its actor's host: no one can take (and so pre-empt, as ids are processed once)
        // the id of another's activity.
        guard URLParts(activity.id)?.authority == URLParts(activity.actor)?.authority else {
            throw HerdError.badRequest("the activity's id is not on its actor's host")
        }
        let policy = FederationPolicy(settings)
        guard policy.allows(url: parameters.actorURL), policy.allows(url: activity.actor) else {
            throw HerdError.forbidden("this instance does not federate with that host or actor")
        }
        // The signer is normally the activity's actor; another signer is an instance forwarding it, and `receive`
        // then takes only what it can check at the source.
        var signer = try await resolver.actor(parameters.actorURL)
        if !Self.verifies(parameters, signingString, with: signer.publicKeyPEM) {
            // The actor may have rotated its key: fetch it once more.
            signer = try await resolver.actor(parameters.actorURL, refresh: true)
            guard Self.verifies(parameters, signingString, with: signer.publicKeyPEM) else {
                throw HerdError(.unauthorized, "the HTTP signature does not verify with \(parameters.keyID)")
            }
        }
        return try await receive(activity, from: signer)
    }

    static func verifies(_ parameters: SignatureParameters, _ signingString: String, with pem: String) -> Bool {
        guard let key = try? RSAKey(pem: pem) else { return false }
        return key.verify(parameters.signature, of: Array(signingString.utf8))
    }

    /// Handles `activity`, signed by `signer`: its actor, or another instance forwarding it (the origin of a video
    /// passing on a comment on it), in which case only what can be checked at its source is taken.
    /// - Returns: false for an activity handled before (its id was seen).
    @discardableResult
    func receive(_ activity: IncomingActivity, from signer: RemoteActorRecord) async throws -> Bool {
        guard try await stores.federation.markSeen(activityID: activity.id, at: clock.now()) else { return false }
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
        return true
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
    /// `Delete` is believed only when that instance no longer has the comment; a mirror's `CacheFile` likewise.
    /// Anything else is ignored: the forwarder cannot speak for the actor.
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
