import HerdCore

/// Accounts, local and remote, by handle (`name` or `name@host`).
public final class AccountDirectory: Sendable {
    let stores: Stores
    let localHost: String

    public init(stores: Stores, localHost: String) {
        self.stores = stores
        self.localHost = localHost
    }

    public func find(handle text: String) async throws -> Account {
        guard let handle = Handle(text, localHost: localHost),
            let account = try await stores.accounts.find(handle: handle)
        else { throw HerdError.notFound("Account not found") }
        return account
    }
}
