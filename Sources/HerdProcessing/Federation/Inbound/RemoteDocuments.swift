import HerdCore
import HerdFederation

/// Other instances' documents and media as the processors fetch them: through the HTTP adapter, documents signed
/// by the instance actor (authorized fetch). Without federation there is no adapter and every fetch is refused.
public final class RemoteDocuments: Sendable {
    public let transport: (any ActivityPubFetcher)?
    let actors: LocalActors

    public init(transport: (any ActivityPubFetcher)?, actors: LocalActors) {
        self.transport = transport
        self.actors = actors
    }

    public var enabled: Bool { transport != nil }

    func required() throws -> any ActivityPubFetcher {
        guard let transport else { throw HerdError.forbidden("federation is disabled on this instance") }
        return transport
    }

    /// The ActivityPub document at `url`, fetched signed by the instance actor.
    public func signedFetch(_ url: String) async throws -> JSONValue {
        let transport = try required()
        return try await transport.fetch(url, signer: try await actors.instanceSigner())
    }
}
