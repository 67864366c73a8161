import Foundation
import GRDB
import HerdCore

struct SQLiteFederationStore: FederationStore {
    let pool: SQLiteConnections

    func remoteActor(url: String) async throws -> RemoteActorRecord? {
        try await pool.readHere { db in
            try db.cachedStatement(sql: "SELECT * FROM remote_actors WHERE url = ?").decodeOne(
                arguments: [url], RemoteActorRecord.init(row:))
        }
    }

    func saveRemoteActor(_ actor: RemoteActorRecord) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO remote_actors (url, kind, preferred_username, name, host, inbox, shared_inbox, followers,
                        key_id, public_key_pem, fetched_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (url) DO UPDATE SET kind = excluded.kind,
                        preferred_username = excluded.preferred_username, name = excluded.name, host = excluded.host,
                        inbox = excluded.inbox, shared_inbox = excluded.shared_inbox, followers = excluded.followers,
                        key_id = excluded.key_id, public_key_pem = excluded.public_key_pem,
                        fetched_at = excluded.fetched_at
                    """,
                arguments: [
                    actor.url, actor.kind, actor.preferredUsername, actor.name, actor.host, actor.inbox,
                    actor.sharedInbox, actor.followers, actor.keyID, actor.publicKeyPEM, actor.fetchedAt.databaseValue,
                ])
        }
    }

    func setRedundancyAllowed(_ allowed: Bool, host: String, follower: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE follows SET redundancy_allowed = ?
                    WHERE follower = ? AND following IN (SELECT url FROM remote_actors WHERE host = ?)
                    """,
                arguments: [allowed, follower, host.lowercased()])
            return db.changesCount > 0
        }
    }

    func follows(host: String, follower: String) async throws -> Bool {
        try await pool.readHere { db in
            try Bool.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT EXISTS (SELECT 1 FROM follows f JOIN remote_actors r ON r.url = f.following
                            WHERE f.follower = ? AND f.state = 'accepted' AND r.host = ?)
                        """),
                arguments: [follower, host.lowercased()]) ?? false
        }
    }

    func followerInboxes(of actors: [String]) async throws -> [String] {
        guard !actors.isEmpty else { return [] }
        let marks = Array(repeating: "?", count: actors.count).joined(separator: ",")
        return try await pool.readHere { db in
            try String.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT DISTINCT COALESCE(r.shared_inbox, r.inbox) FROM follows f
                        JOIN remote_actors r ON r.url = f.follower
                        WHERE f.following IN (\(marks)) AND f.state = 'accepted' ORDER BY 1
                        """),
                arguments: StatementArguments(actors))
        }
    }

    func saveRemoteAccount(url: String, name: String, displayName: String, description: String?, host: String)
        async throws -> Account
    {
        try await pool.write { db in
            let now = Date().databaseValue
            // A name taken on that host by another URL (an actor that moved) gives way to the new one.
            try db.execute(
                sql: "DELETE FROM accounts WHERE host = ? AND name = ? AND url IS NOT ? AND user_id IS NULL",
                arguments: [host, name, url])
            try db.execute(
                sql: """
                    INSERT INTO accounts (user_id, name, host, display_name, description, created_at, updated_at, url)
                    VALUES (NULL, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (url) DO UPDATE SET name = excluded.name, host = excluded.host,
                        display_name = excluded.display_name, description = excluded.description,
                        updated_at = excluded.updated_at
                    """,
                arguments: [name, host, displayName, description, now, now, url])
            return try Row.fetchOne(
                db.cachedStatement(sql: "SELECT \(Columns.account) FROM accounts a WHERE a.url = ?"), arguments: [url]
            ).map { Account(row: $0, at: 0) }!
        }
    }

    func saveRemoteChannel(
        url: String, accountId: Int64, name: String, displayName: String, description: String?, support: String?,
        host: String
    ) async throws -> Channel {
        try await pool.write { db in
            let now = Date().databaseValue
            try db.execute(
                sql: "DELETE FROM channels WHERE host = ? AND name = ? AND url IS NOT ?", arguments: [host, name, url])
            try db.execute(
                sql: """
                    INSERT INTO channels (account_id, name, host, display_name, description, support, created_at,
                        updated_at, url)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (url) DO UPDATE SET account_id = excluded.account_id, name = excluded.name,
                        host = excluded.host, display_name = excluded.display_name,
                        description = excluded.description, support = excluded.support,
                        updated_at = excluded.updated_at
                    """,
                arguments: [accountId, name, host, displayName, description, support, now, now, url])
            return try Row.fetchOne(
                db.cachedStatement(sql: "SELECT \(Columns.channel) FROM channels c WHERE c.url = ?"), arguments: [url]
            ).map { Channel(row: $0, at: 0) }!
        }
    }

    func saveFollow(follower: String, following: String, activityID: String, state: FollowRecord.State) async throws
        -> FollowRecord
    {
        try await pool.write { db in
            let now = Date().databaseValue
            try db.execute(
                sql: """
                    INSERT INTO follows (follower, following, state, activity_id, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (follower, following) DO UPDATE SET state = excluded.state,
                        activity_id = excluded.activity_id, updated_at = excluded.updated_at
                    """,
                arguments: [follower, following, state.rawValue, activityID, now, now])
            return try db.cachedStatement(sql: "SELECT * FROM follows WHERE follower = ? AND following = ?").decodeOne(
                arguments: [follower, following], FollowRecord.init(row:))!
        }
    }

    func follow(follower: String, following: String) async throws -> FollowRecord? {
        try await pool.readHere { db in
            try db.cachedStatement(sql: "SELECT * FROM follows WHERE follower = ? AND following = ?").decodeOne(
                arguments: [follower, following], FollowRecord.init(row:))
        }
    }

    func follow(activityID: String) async throws -> FollowRecord? {
        try await pool.readHere { db in
            try db.cachedStatement(sql: "SELECT * FROM follows WHERE activity_id = ?").decodeOne(
                arguments: [activityID], FollowRecord.init(row:))
        }
    }

    func setFollowState(id: Int64, _ state: FollowRecord.State) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE follows SET state = ?, updated_at = ? WHERE id = ?",
                arguments: [state.rawValue, Date().databaseValue, id])
        }
    }

    func deleteFollow(id: Int64) async throws {
        try await pool.write { db in try db.execute(sql: "DELETE FROM follows WHERE id = ?", arguments: [id]) }
    }

    func follows(following: String?, follower: String?, state: FollowRecord.State?, start: Int, count: Int)
        async throws -> Page<FollowRecord>
    {
        try await pool.readHere { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let following {
                conditions.append("following = ?")
                _ = arguments.append(contentsOf: [following])
            }
            if let follower {
                conditions.append("follower = ?")
                _ = arguments.append(contentsOf: [follower])
            }
            if let state {
                conditions.append("state = ?")
                _ = arguments.append(contentsOf: [state.rawValue])
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            let total =
                try Int.fetchOne(
                    db.cachedStatement(sql: "SELECT COUNT(*) FROM follows \(filter)"), arguments: arguments) ?? 0
            _ = arguments.append(contentsOf: [count, start])
            let rows = try Row.fetchAll(
                db.cachedStatement(sql: "SELECT * FROM follows \(filter) ORDER BY id DESC LIMIT ? OFFSET ?"),
                arguments: arguments)
            return Page(total: total, data: rows.map(FollowRecord.init(row:)))
        }
    }

    func markSeen(activityID: String, at date: Date) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO inbox_seen (activity_id, received_at) VALUES (?, ?)",
                arguments: [activityID, date.databaseValue])
            return db.changesCount > 0
        }
    }

    func forgetSeen(activityID: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM inbox_seen WHERE activity_id = ?", arguments: [activityID])
        }
    }

    func purge(seenBefore: Date, actorsFetchedBefore: Date) async throws -> (seen: Int, actors: Int) {
        try await pool.write { db in
            try db.execute(
                sql: "DELETE FROM inbox_seen WHERE received_at < ?", arguments: [seenBefore.databaseValue])
            let seen = db.changesCount
            try db.execute(
                sql: """
                    DELETE FROM remote_actors WHERE fetched_at < ?
                        AND NOT EXISTS (SELECT 1 FROM follows WHERE follower = remote_actors.url
                            OR following = remote_actors.url)
                        AND NOT EXISTS (SELECT 1 FROM accounts WHERE accounts.url = remote_actors.url)
                        AND NOT EXISTS (SELECT 1 FROM channels WHERE channels.url = remote_actors.url)
                    """,
                arguments: [actorsFetchedBefore.databaseValue])
            return (seen, db.changesCount)
        }
    }
}

extension RemoteActorRecord {
    init(row: Row) {
        self.init(
            url: row["url"], kind: row["kind"], preferredUsername: row["preferred_username"], name: row["name"],
            host: row["host"], inbox: row["inbox"], sharedInbox: row["shared_inbox"], followers: row["followers"],
            keyID: row["key_id"], publicKeyPEM: row["public_key_pem"],
            fetchedAt: Date(databaseValue: row["fetched_at"]))
    }
}

extension FollowRecord {
    init(row: Row) {
        self.init(
            id: row["id"], follower: row["follower"], following: row["following"],
            state: State(rawValue: row["state"]) ?? .pending, activityID: row["activity_id"],
            createdAt: Date(databaseValue: row["created_at"]), updatedAt: Date(databaseValue: row["updated_at"]),
            redundancyAllowed: row["redundancy_allowed"])
    }
}
