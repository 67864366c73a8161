/// A user's role. Raw values are PeerTube's `UserRole` ids.
public enum Role: Int, Sendable, CaseIterable, Codable {
    case administrator = 0
    case moderator = 1
    case user = 2

    public var label: String {
        switch self {
        case .administrator: "Administrator"
        case .moderator: "Moderator"
        case .user: "User"
        }
    }

    /// The name used on the command line and in configuration.
    public var name: String {
        switch self {
        case .administrator: "administrator"
        case .moderator: "moderator"
        case .user: "user"
        }
    }

    public init?(name: String) {
        guard let role = Role.allCases.first(where: { $0.name == name.lowercased() }) else { return nil }
        self = role
    }

    /// Moderators and administrators may see and manage what other users own.
    public var isStaff: Bool { self != .user }
}
