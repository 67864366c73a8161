import Foundation

/// Settings an administrator changes while the instance runs (PeerTube's "custom configuration"), kept in the
/// database and taking precedence over the configuration file. Today: whether anyone may sign up.
public struct InstanceOverrides: Sendable, Equatable, Codable {
    public var signupEnabled: Bool?

    public init(signupEnabled: Bool? = nil) {
        self.signupEnabled = signupEnabled
    }
}

/// Persistence of the overrides.
public protocol InstanceSettingsStore: Sendable {
    func overrides() async throws -> InstanceOverrides
    func save(_ overrides: InstanceOverrides) async throws
}
