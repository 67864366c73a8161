import Foundation
import GRDB
import HerdCore

struct SQLiteUserStore: UserStore {
    let pool: SQLiteConnections

    func create(_ new: NewUser) async throws -> UserBundle {
        try await pool.write { db in
            let now = Date().databaseValue
            try DatabaseError.mapConstraint("username or email already taken") {
                try db.execute(
                    sql: """
                        INSERT INTO users (username, email, password_hash, role, video_quota, video_quota_daily, created_at)
                        VALUES (?, ?, ?, ?, ?, -1, ?)
                        """,
                    arguments: [new.username, new.email, new.passwordHash, new.role.rawValue, new.videoQuota, now]
                )
            }
            let userId = db.lastInsertedRowID
            for name in [new.username, new.channelName] where try actorNameTaken(db, name) {
                throw HerdError.conflict("the name '\(name)' is already taken")
            }
            try db.execute(
                sql: """
                    INSERT INTO accounts (user_id, name, host, display_name, created_at, updated_at)
                    VALUES (?, ?, '', ?, ?, ?)
                    """,
                arguments: [userId, new.username, new.displayName, now, now]
            )
            let accountId = db.lastInsertedRowID
            try db.execute(
                sql: """
                    INSERT INTO channels (account_id, name, host, display_name, created_at, updated_at)
                    VALUES (?, ?, '', ?, ?, ?)
                    """,
                arguments: [accountId, new.channelName, new.channelDisplayName, now, now]
            )
            let channelId = db.lastInsertedRowID
            if let keys = new.accountKeys { try SQLiteActorKeyStore.insert(db, keys, for: .account(accountId)) }
            if let keys = new.channelKeys { try SQLiteActorKeyStore.insert(db, keys, for: .channel(channelId)) }
            let date = Date(databaseValue: now)
            let user = User(
                id: userId, username: new.username, email: new.email, passwordHash: new.passwordHash, role: new.role,
                videoQuota: new.videoQuota, createdAt: date
            )
            let account = Account(
                id: accountId, userId: userId, name: new.username, displayName: new.displayName, createdAt: date,
                updatedAt: date
            )
            let channel = Channel(
                id: channelId, accountId: accountId, name: new.channelName, displayName: new.channelDisplayName,
                createdAt: date, updatedAt: date
            )
            return UserBundle(user: user, account: account, channels: [channel])
        }
    }

    func find(id: Int64) async throws -> User? {
        try await pool.readHere { db in try Self.find(db, id: id) }
    }

    static func find(_ db: Database, id: Int64) throws -> User? {
        try db.cachedStatement(sql: "SELECT * FROM users WHERE id = ?").decodeOne(arguments: [id], User.init(row:))
    }

    func find(usernameOrEmail: String) async throws -> User? {
        try await pool.readHere { db in
            try db.cachedStatement(sql: "SELECT * FROM users WHERE username = ? OR email = ? LIMIT 1").decodeOne(
                arguments: [usernameOrEmail, usernameOrEmail], User.init(row:))
        }
    }

    func update(_ user: User) async throws {
        try await pool.write { db in
            try DatabaseError.mapConstraint("email already taken") {
                try db.execute(
                    sql: """
                        UPDATE users SET email = ?, password_hash = ?, role = ?, video_quota = ?, video_quota_daily = ?,
                        blocked = ? WHERE id = ?
                        """,
                    arguments: [
                        user.email, user.passwordHash, user.role.rawValue, user.videoQuota, user.videoQuotaDaily,
                        user.blocked, user.id,
                    ]
                )
            }
        }
    }

    func delete(id: Int64) async throws {
        try await pool.write { db in try db.execute(sql: "DELETE FROM users WHERE id = ?", arguments: [id]) }
    }

    func list(start: Int, count: Int) async throws -> Page<User> {
        try await pool.readHere { db in
            let total = try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM users")) ?? 0
            let users = try db.cachedStatement(sql: "SELECT * FROM users ORDER BY id LIMIT ? OFFSET ?").decodeAll(
                arguments: [count, start], User.init(row:))
            return Page(total: total, data: users)
        }
    }

    func count() async throws -> Int {
        try await pool.readHere { db in try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM users")) ?? 0 }
    }
}

/// Local account and channel names share one namespace (they are all ActivityPub actors on this host).
func actorNameTaken(_ db: Database, _ name: String) throws -> Bool {
    try Bool.fetchOne(
        db.cachedStatement(
            sql: """
                SELECT EXISTS (SELECT 1 FROM accounts WHERE host = '' AND name = ?)
                    OR EXISTS (SELECT 1 FROM channels WHERE host = '' AND name = ?)
                """),
        arguments: [name, name]
    ) ?? false
}
