import HerdTestSupport

/// The shared ActivityPub vectors (`HerdTestSupport`).
typealias Vectors = FederationVectors
