/// The ActivityPub actor types Herd publishes and understands (ActivityStreams vocabulary §3.2).
public enum ActorKind: String, Sendable, CaseIterable, Codable {
    /// An account (a user's public identity).
    case person = "Person"
    /// A video channel.
    case group = "Group"
    /// The instance actor (`/accounts/peertube`): signs fetches, follows instances, announces.
    case application = "Application"
    case organization = "Organization"
    case service = "Service"
}
