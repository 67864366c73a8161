import Foundation
import HerdCore
import PostgresNIO

struct PostgresUserStore: UserStore {
    let db: PostgresConnections

    func create(_ new: NewUser) async throws -> UserBundle {
        try await db.transaction {
            let user = try await db.mapUnique("username or email already taken") {
                try User(
                    row: try await db.query(
                        """
                        INSERT INTO users (username, email, password_hash, role, video_quota, video_quota_daily, created_at)
                        VALUES (\(new.username), \(new.email), \(new.passwordHash), \(new.role.rawValue), \(new.videoQuota),
                            -1, now())
                        RETURNING \(unescaped: Columns.user)
                        """)[0])
            }
            for name in [new.username, new.channelName] where try await actorNameTaken(db, name) {
                throw HerdError.conflict("the name '\(name)' is already taken")
            }
            let account = try Account(
                row: try await db.query(
                    """
                    INSERT INTO accounts AS a (user_id, name, host, display_name, created_at, updated_at)
                    VALUES (\(user.id), \(new.username), '', \(new.displayName), \(user.createdAt), \(user.createdAt))
                    RETURNING \(unescaped: Columns.account)
                    """)[0])
            let channel = try HerdCore.Channel(
                row: try await db.query(
                    """
                    INSERT INTO channels AS c (account_id, name, host, display_name, created_at, updated_at)
                    VALUES (\(account.id), \(new.channelName), '', \(new.channelDisplayName), \(user.createdAt),
                        \(user.createdAt))
                    RETURNING \(unescaped: Columns.channel)
                    """)[0])
            if let keys = new.accountKeys {
                try await PostgresActorKeyStore.insert(db, keys, for: .account(account.id))
            }
            if let keys = new.channelKeys {
                try await PostgresActorKeyStore.insert(db, keys, for: .channel(channel.id))
            }
            return UserBundle(user: user, account: account, channels: [channel])
        }
    }

    func find(id: Int64) async throws -> User? {
        try await Self.find(db, id: id)
    }

    static func find(_ db: PostgresConnections, id: Int64) async throws -> User? {
        try await db.first("SELECT \(unescaped: Columns.user) FROM users WHERE id = \(id)").map(User.init(row:))
    }

    func find(usernameOrEmail: String) async throws -> User? {
        try await db.first(
            """
            SELECT \(unescaped: Columns.user) FROM users
            WHERE lower(username) = lower(\(usernameOrEmail)) OR lower(email) = lower(\(usernameOrEmail)) LIMIT 1
            """
        ).map(User.init(row:))
    }

    func update(_ user: User) async throws {
        try await db.mapUnique("email already taken") {
            try await db.query(
                """
                UPDATE users SET email = \(user.email), password_hash = \(user.passwordHash), role = \(user.role.rawValue),
                    video_quota = \(user.videoQuota), video_quota_daily = \(user.videoQuotaDaily), blocked = \(user.blocked)
                WHERE id = \(user.id)
                """)
        }
    }

    func delete(id: Int64) async throws {
        try await db.query("DELETE FROM users WHERE id = \(id)")
    }

    func list(start: Int, count: Int) async throws -> Page<User> {
        let total = try await self.count()
        let users = try await db.query(
            "SELECT \(unescaped: Columns.user) FROM users ORDER BY id LIMIT \(count) OFFSET \(start)"
        ).map(User.init(row:))
        return Page(total: total, data: users)
    }

    func count() async throws -> Int {
        try await db.query("SELECT COUNT(*) FROM users")[0].decode(Int.self)
    }
}

/// Local account and channel names share one namespace (they are all ActivityPub actors on this host).
func actorNameTaken(_ db: PostgresConnections, _ name: String) async throws -> Bool {
    try await db.query(
        """
        SELECT EXISTS (SELECT 1 FROM accounts WHERE host = '' AND name = \(name))
            OR EXISTS (SELECT 1 FROM channels WHERE host = '' AND name = \(name))
        """
    )[0].decode(Bool.self)
}
