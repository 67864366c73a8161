/// Persistence of users. Creating a user also creates its account and default channel, atomically.
public protocol UserStore: Sendable {
    /// Creates the user, its account and its default channel in one transaction.
    /// Throws `HerdError` `.conflict` when the username, email or channel name is taken.
    func create(_ user: NewUser) async throws -> UserBundle
    func find(id: Int64) async throws -> User?
    /// Case-insensitive lookup by username or email.
    func find(usernameOrEmail: String) async throws -> User?
    func update(_ user: User) async throws
    func delete(id: Int64) async throws
    func list(start: Int, count: Int) async throws -> Page<User>
    func count() async throws -> Int
}
