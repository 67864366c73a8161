import HerdCore

extension AccountStore {
    /// A local user's account: every user has one (made with it in one transaction), so its absence is a fault.
    func account(of user: User) async throws -> Account {
        guard let account = try await find(userId: user.id) else {
            throw HerdError.internalError("user \(user.id) has no account")
        }
        return account
    }
}
