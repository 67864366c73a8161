import Foundation
import HerdCore
import PostgresNIO

struct PostgresFederationStore: FederationStore {
    let db: PostgresConnections

    static let actorColumns = """
        url, kind, preferred_username, name, host, inbox, shared_inbox, followers, key_id, public_key_pem, fetched_at
        """
    static let followColumns =
        "id, follower, following, state, activity_id, created_at, updated_at, redundancy_allowed"

    func remoteActor(url: String) async throws -> RemoteActorRecord? {
        try await db.first("SELECT \(unescaped: Self.actorColumns) FROM remote_actors WHERE url = \(url)").map(
            RemoteActorRecord.init(row:))
    }

    func saveRemoteActor(_ actor: RemoteActorRecord) async throws {
        try await db.query(
            """
            INSERT INTO remote_actors (url, kind, preferred_username, name, host, inbox, shared_inbox, followers, key_id,
                public_key_pem, fetched_at)
            VALUES (\(actor.url), \(actor.kind), \(actor.preferredUsername), \(actor.name), \(actor.host), \(actor.inbox),
                \(actor.sharedInbox), \(actor.followers), \(actor.keyID), \(actor.publicKeyPEM), \(actor.fetchedAt))
            ON CONFLICT (url) DO UPDATE SET kind = excluded.kind, preferred_username = excluded.preferred_username,
                name = excluded.name, host = excluded.host, inbox = excluded.inbox, shared_inbox = excluded.shared_inbox,
                followers = excluded.followers, key_id = excluded.key_id, public_key_pem = excluded.public_key_pem,
                fetched_at = excluded.fetched_at
            """)
    }

    func setRedundancyAllowed(_ allowed: Bool, host: String, follower: String) async throws -> Bool {
        try await !db.query(
            """
            UPDATE follows SET redundancy_allowed = \(allowed)
            WHERE follower = \(follower) AND following IN (SELECT url FROM remote_actors WHERE host = \(host.lowercased()))
            RETURNING id
            """
        ).isEmpty
    }

    func follows(host: String, follower: String) async throws -> Bool {
        try await db.query(
            """
            SELECT EXISTS (SELECT 1 FROM follows f JOIN remote_actors r ON r.url = f.following
                WHERE f.follower = \(follower) AND f.state = 'accepted' AND r.host = \(host.lowercased()))
            """
        )[0].decode(Bool.self)
    }

    func followerInboxes(of actors: [String]) async throws -> [String] {
        guard !actors.isEmpty else { return [] }
        return try await db.query(
            """
            SELECT DISTINCT COALESCE(r.shared_inbox, r.inbox) FROM follows f JOIN remote_actors r ON r.url = f.follower
            WHERE f.following = ANY(\(actors)) AND f.state = 'accepted' ORDER BY 1
            """
        ).map { try $0.decode(String.self) }
    }

    func saveRemoteAccount(url: String, name: String, displayName: String, description: String?, host: String)
        async throws -> Account
    {
        try await db.transaction {
            // A name taken on that host by another URL (an actor that moved) gives way to the new one.
            try await db.query(
                """
                DELETE FROM accounts WHERE host = \(host) AND name = \(name) AND url IS DISTINCT FROM \(url)
                    AND user_id IS NULL
                """)
            return try Account(
                row: try await db.query(
                    """
                    INSERT INTO accounts AS a (user_id, name, host, display_name, description, created_at, updated_at, url)
                    VALUES (NULL, \(name), \(host), \(displayName), \(description), now(), now(), \(url))
                    ON CONFLICT (url) DO UPDATE SET name = excluded.name, host = excluded.host,
                        display_name = excluded.display_name, description = excluded.description,
                        updated_at = excluded.updated_at
                    RETURNING \(unescaped: Columns.account)
                    """)[0])
        }
    }

    func saveRemoteChannel(
        url: String, accountId: Int64, name: String, displayName: String, description: String?, support: String?,
        host: String
    ) async throws -> HerdCore.Channel {
        try await db.transaction {
            try await db.query(
                "DELETE FROM channels WHERE host = \(host) AND name = \(name) AND url IS DISTINCT FROM \(url)")
            return try HerdCore.Channel(
                row: try await db.query(
                    """
                    INSERT INTO channels AS c (account_id, name, host, display_name, description, support, created_at,
                        updated_at, url)
                    VALUES (\(accountId), \(name), \(host), \(displayName), \(description), \(support), now(), now(),
                        \(url))
                    ON CONFLICT (url) DO UPDATE SET account_id = excluded.account_id, name = excluded.name,
                        host = excluded.host, display_name = excluded.display_name, description = excluded.description,
                        support = excluded.support, updated_at = excluded.updated_at
                    RETURNING \(unescaped: Columns.channel)
                    """)[0])
        }
    }

    func saveFollow(follower: String, following: String, activityID: String, state: FollowRecord.State) async throws
        -> FollowRecord
    {
        try FollowRecord(
            row: try await db.query(
                """
                INSERT INTO follows (follower, following, state, activity_id, created_at, updated_at)
                VALUES (\(follower), \(following), \(state.rawValue), \(activityID), now(), now())
                ON CONFLICT (follower, following) DO UPDATE SET state = excluded.state,
                    activity_id = excluded.activity_id, updated_at = excluded.updated_at
                RETURNING \(unescaped: Self.followColumns)
                """)[0])
    }

    func follow(follower: String, following: String) async throws -> FollowRecord? {
        try await db.first(
            """
            SELECT \(unescaped: Self.followColumns) FROM follows WHERE follower = \(follower) AND following = \(following)
            """
        ).map(FollowRecord.init(row:))
    }

    func follow(activityID: String) async throws -> FollowRecord? {
        try await db.first("SELECT \(unescaped: Self.followColumns) FROM follows WHERE activity_id = \(activityID)")
            .map(FollowRecord.init(row:))
    }

    func setFollowState(id: Int64, _ state: FollowRecord.State) async throws {
        try await db.query("UPDATE follows SET state = \(state.rawValue), updated_at = now() WHERE id = \(id)")
    }

    func deleteFollow(id: Int64) async throws {
        try await db.query("DELETE FROM follows WHERE id = \(id)")
    }

    func follows(following: String?, follower: String?, state: FollowRecord.State?, start: Int, count: Int)
        async throws -> Page<FollowRecord>
    {
        let state = state?.rawValue
        let total = try await db.query(
            """
            SELECT COUNT(*) FROM follows
            WHERE (\(following)::text IS NULL OR following = \(following))
                AND (\(follower)::text IS NULL OR follower = \(follower))
                AND (\(state)::text IS NULL OR state = \(state))
            """
        )[0].decode(Int.self)
        let rows = try await db.query(
            """
            SELECT \(unescaped: Self.followColumns) FROM follows
            WHERE (\(following)::text IS NULL OR following = \(following))
                AND (\(follower)::text IS NULL OR follower = \(follower))
                AND (\(state)::text IS NULL OR state = \(state))
            ORDER BY id DESC LIMIT \(count) OFFSET \(start)
            """)
        return Page(total: total, data: try rows.map(FollowRecord.init(row:)))
    }

    func markSeen(activityID: String, at date: Date) async throws -> Bool {
        try await !db.query(
            """
            INSERT INTO inbox_seen (activity_id, received_at) VALUES (\(activityID), \(date))
            ON CONFLICT (activity_id) DO NOTHING RETURNING 1
            """
        ).isEmpty
    }

    func forgetSeen(activityID: String) async throws {
        try await db.query("DELETE FROM inbox_seen WHERE activity_id = \(activityID)")
    }

    func purge(seenBefore: Date, actorsFetchedBefore: Date) async throws -> (seen: Int, actors: Int) {
        let seen = try await db.query("DELETE FROM inbox_seen WHERE received_at < \(seenBefore) RETURNING 1").count
        let actors = try await db.query(
            """
            DELETE FROM remote_actors r WHERE fetched_at < \(actorsFetchedBefore)
                AND NOT EXISTS (SELECT 1 FROM follows WHERE follower = r.url OR following = r.url)
                AND NOT EXISTS (SELECT 1 FROM accounts WHERE accounts.url = r.url)
                AND NOT EXISTS (SELECT 1 FROM channels WHERE channels.url = r.url)
            RETURNING 1
            """
        ).count
        return (seen, actors)
    }
}

extension RemoteActorRecord {
    init(row: PostgresRow) throws {
        var cells = Cells(row)
        self.init(
            url: try cells.next(), kind: try cells.next(), preferredUsername: try cells.next(), name: try cells.next(),
            host: try cells.next(), inbox: try cells.next(), sharedInbox: try cells.next(),
            followers: try cells.next(), keyID: try cells.next(), publicKeyPEM: try cells.next(),
            fetchedAt: try cells.next())
    }
}

extension FollowRecord {
    init(row: PostgresRow) throws {
        var cells = Cells(row)
        let id: Int64 = try cells.next()
        let follower: String = try cells.next()
        let following: String = try cells.next()
        let state = State(rawValue: try cells.next()) ?? .pending
        self.init(
            id: id, follower: follower, following: following, state: state, activityID: try cells.next(),
            createdAt: try cells.next(), updatedAt: try cells.next(), redundancyAllowed: try cells.next())
    }
}
