import HerdCore

/// What an administrator changes at run time over the configuration file (PeerTube's custom configuration): for
/// now, whether anyone may sign up. Kept in the database.
public final class InstanceConfiguration: Sendable {
    let stores: Stores
    let settings: Settings
    let events: ContentEvents

    public init(stores: Stores, settings: Settings, events: ContentEvents) {
        self.stores = stores
        self.settings = settings
        self.events = events
    }

    /// Whether anyone may sign up: the administrator's choice at run time, else `signup.enabled`.
    public func signupEnabled() async throws -> Bool {
        try await stores.instanceSettings.overrides().signupEnabled ?? settings.signupEnabled
    }

    public func setSignup(enabled: Bool?) async throws {
        var overrides = try await stores.instanceSettings.overrides()
        if let enabled { overrides.signupEnabled = enabled }
        try await stores.instanceSettings.save(overrides)
        events.publish(.instanceSettings)
    }
}
