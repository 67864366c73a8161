import GRDB

extension SQLiteDatabase {
    /// Versioned schema migrations. Never edit a shipped migration; add a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-users-accounts-channels-videos") { db in
            try db.execute(
                sql: """
                    CREATE TABLE users (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
                        email TEXT NOT NULL UNIQUE COLLATE NOCASE,
                        password_hash TEXT NOT NULL,
                        role INTEGER NOT NULL,
                        video_quota INTEGER NOT NULL,
                        video_quota_daily INTEGER NOT NULL,
                        blocked INTEGER NOT NULL DEFAULT 0,
                        created_at REAL NOT NULL
                    );
                    CREATE TABLE oauth_clients (
                        id INTEGER PRIMARY KEY,
                        client_id TEXT NOT NULL UNIQUE,
                        client_secret TEXT NOT NULL
                    );
                    CREATE TABLE oauth_tokens (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                        access_digest TEXT NOT NULL UNIQUE,
                        refresh_digest TEXT NOT NULL UNIQUE,
                        access_expires_at REAL NOT NULL,
                        refresh_expires_at REAL NOT NULL
                    );
                    CREATE INDEX oauth_tokens_user ON oauth_tokens(user_id);
                    CREATE TABLE accounts (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        user_id INTEGER UNIQUE REFERENCES users(id) ON DELETE CASCADE,
                        name TEXT NOT NULL,
                        host TEXT NOT NULL DEFAULT '',
                        display_name TEXT NOT NULL,
                        description TEXT,
                        created_at REAL NOT NULL,
                        updated_at REAL NOT NULL,
                        UNIQUE (host, name)
                    );
                    CREATE TABLE channels (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                        name TEXT NOT NULL,
                        host TEXT NOT NULL DEFAULT '',
                        display_name TEXT NOT NULL,
                        description TEXT,
                        support TEXT,
                        created_at REAL NOT NULL,
                        updated_at REAL NOT NULL,
                        UNIQUE (host, name)
                    );
                    CREATE INDEX channels_account ON channels(account_id);
                    CREATE TABLE videos (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        uuid TEXT NOT NULL UNIQUE,
                        channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
                        name TEXT NOT NULL,
                        description TEXT,
                        support TEXT,
                        privacy INTEGER NOT NULL,
                        state INTEGER NOT NULL,
                        state_reason TEXT,
                        category INTEGER,
                        licence INTEGER,
                        language TEXT,
                        nsfw INTEGER NOT NULL,
                        comments_policy INTEGER NOT NULL,
                        download_enabled INTEGER NOT NULL,
                        wait_transcoding INTEGER NOT NULL,
                        tags TEXT NOT NULL DEFAULT '[]',
                        duration INTEGER NOT NULL DEFAULT 0,
                        views INTEGER NOT NULL DEFAULT 0,
                        likes INTEGER NOT NULL DEFAULT 0,
                        dislikes INTEGER NOT NULL DEFAULT 0,
                        original_filename TEXT,
                        original_size INTEGER NOT NULL DEFAULT 0,
                        created_at REAL NOT NULL,
                        updated_at REAL NOT NULL,
                        published_at REAL NOT NULL,
                        originally_published_at REAL
                    );
                    CREATE INDEX videos_listing ON videos(privacy, state, published_at);
                    CREATE INDEX videos_channel ON videos(channel_id, published_at);
                    CREATE TABLE video_tags (
                        video_id INTEGER NOT NULL REFERENCES videos(id) ON DELETE CASCADE,
                        tag TEXT NOT NULL COLLATE NOCASE,
                        PRIMARY KEY (video_id, tag)
                    );
                    CREATE INDEX video_tags_tag ON video_tags(tag);
                    CREATE TABLE video_files (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        video_id INTEGER NOT NULL REFERENCES videos(id) ON DELETE CASCADE,
                        kind TEXT NOT NULL,
                        resolution INTEGER NOT NULL,
                        width INTEGER NOT NULL,
                        height INTEGER NOT NULL,
                        fps REAL NOT NULL,
                        size INTEGER NOT NULL,
                        filename TEXT NOT NULL,
                        created_at REAL NOT NULL
                    );
                    CREATE INDEX video_files_video ON video_files(video_id);
                    CREATE TABLE upload_sessions (
                        id TEXT PRIMARY KEY,
                        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                        channel_id INTEGER NOT NULL,
                        filename TEXT NOT NULL,
                        mime_type TEXT,
                        total_size INTEGER NOT NULL,
                        metadata BLOB NOT NULL,
                        created_at REAL NOT NULL,
                        updated_at REAL NOT NULL
                    );
                    CREATE INDEX upload_sessions_user ON upload_sessions(user_id);
                    """
            )
        }
        migrator.registerMigration("v2-jobs") { db in
            try db.execute(
                sql: """
                    CREATE TABLE jobs (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        kind TEXT NOT NULL,
                        payload BLOB NOT NULL,
                        state TEXT NOT NULL,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        max_attempts INTEGER NOT NULL,
                        run_after REAL NOT NULL,
                        progress REAL,
                        progress_detail BLOB,
                        last_error TEXT,
                        created_at REAL NOT NULL,
                        updated_at REAL NOT NULL,
                        started_at REAL,
                        finished_at REAL
                    );
                    CREATE INDEX jobs_due ON jobs(state, run_after, id);
                    CREATE INDEX jobs_kind ON jobs(kind, id);
                    """
            )
        }
        migrator.registerMigration("v3-torrents") { db in
            try db.execute(
                sql: """
                    ALTER TABLE video_files ADD COLUMN info_hash TEXT;
                    ALTER TABLE video_files ADD COLUMN torrent_filename TEXT;
                    CREATE INDEX video_files_info_hash ON video_files(info_hash);
                    """
            )
        }
        migrator.registerMigration("v4-actor-keys") { db in
            // Local actors' RSA keys (ActivityPub): actor is 'account' or 'channel'; rows go with their owner.
            try db.execute(
                sql: """
                    CREATE TABLE actor_keys (
                        actor TEXT NOT NULL,
                        local_id INTEGER NOT NULL,
                        public_key_pem TEXT NOT NULL,
                        private_key_pem TEXT NOT NULL,
                        created_at REAL NOT NULL,
                        PRIMARY KEY (actor, local_id)
                    );
                    CREATE TRIGGER accounts_delete_keys AFTER DELETE ON accounts BEGIN
                        DELETE FROM actor_keys WHERE actor = 'account' AND local_id = OLD.id;
                    END;
                    CREATE TRIGGER channels_delete_keys AFTER DELETE ON channels BEGIN
                        DELETE FROM actor_keys WHERE actor = 'channel' AND local_id = OLD.id;
                    END;
                    """
            )
        }
        migrator.registerMigration("v5-federation") { db in
            // Remote actors (cached documents and keys), follows between actor URLs (either side local), and the
            // inbox's seen activity ids (idempotency).
            try db.execute(
                sql: """
                    CREATE TABLE remote_actors (
                        url TEXT PRIMARY KEY,
                        kind TEXT NOT NULL,
                        preferred_username TEXT NOT NULL,
                        name TEXT,
                        host TEXT NOT NULL,
                        inbox TEXT NOT NULL,
                        shared_inbox TEXT,
                        followers TEXT,
                        key_id TEXT NOT NULL,
                        public_key_pem TEXT NOT NULL,
                        fetched_at REAL NOT NULL
                    );
                    CREATE INDEX remote_actors_host ON remote_actors(host);
                    CREATE TABLE follows (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        follower TEXT NOT NULL,
                        following TEXT NOT NULL,
                        state TEXT NOT NULL,
                        activity_id TEXT NOT NULL,
                        created_at REAL NOT NULL,
                        updated_at REAL NOT NULL,
                        UNIQUE (follower, following)
                    );
                    CREATE INDEX follows_following ON follows(following, id);
                    CREATE INDEX follows_activity ON follows(activity_id);
                    CREATE TABLE inbox_seen (
                        activity_id TEXT PRIMARY KEY,
                        received_at REAL NOT NULL
                    );
                    """
            )
        }
        migrator.registerMigration("v6-remote-videos-search") { db in
            // Remote accounts, channels and videos live beside local ones (a host and an ActivityPub URL set);
            // a remote video keeps the origin's media URLs as JSON. `video_trigrams` indexes names and tags for
            // typo-tolerant search (`SearchTrigrams`).
            try db.execute(
                sql: """
                    ALTER TABLE accounts ADD COLUMN url TEXT;
                    CREATE UNIQUE INDEX accounts_url ON accounts(url);
                    ALTER TABLE channels ADD COLUMN url TEXT;
                    CREATE UNIQUE INDEX channels_url ON channels(url);
                    ALTER TABLE videos ADD COLUMN url TEXT;
                    ALTER TABLE videos ADD COLUMN remote TEXT;
                    CREATE UNIQUE INDEX videos_url ON videos(url);
                    CREATE TABLE video_trigrams (
                        trigram TEXT NOT NULL,
                        video_id INTEGER NOT NULL REFERENCES videos(id) ON DELETE CASCADE,
                        PRIMARY KEY (trigram, video_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX video_trigrams_video ON video_trigrams(video_id);
                    """
            )
            for row in try Row.fetchAll(db, sql: "SELECT id, name, tags FROM videos") {
                try SQLiteVideoStore.replaceTrigrams(
                    db, videoId: row["id"], name: row["name"], tags: decodeTags(row["tags"]))
            }
        }
        migrator.registerMigration("v7-comments") { db in
            // Comments (local, and remote Notes keyed by their url): a thread is a root and its replies; deleting
            // one keeps its place (deleted_at) so the replies under it stay threaded.
            try db.execute(
                sql: """
                    CREATE TABLE comments (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        url TEXT UNIQUE,
                        video_id INTEGER NOT NULL REFERENCES videos(id) ON DELETE CASCADE,
                        thread_id INTEGER NOT NULL,
                        in_reply_to INTEGER,
                        account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
                        text TEXT NOT NULL,
                        held INTEGER NOT NULL DEFAULT 0,
                        created_at REAL NOT NULL,
                        updated_at REAL NOT NULL,
                        deleted_at REAL
                    );
                    CREATE INDEX comments_video ON comments(video_id, thread_id);
                    CREATE INDEX comments_thread ON comments(thread_id);
                    """
            )
        }
        migrator.registerMigration("v8-ratings") { db in
            // Likes and dislikes by local and remote accounts (`url`: the remote Like/Dislike activity's id).
            try db.execute(
                sql: """
                    CREATE TABLE video_rates (
                        account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                        video_id INTEGER NOT NULL REFERENCES videos(id) ON DELETE CASCADE,
                        rating TEXT NOT NULL,
                        url TEXT,
                        created_at REAL NOT NULL,
                        PRIMARY KEY (account_id, video_id)
                    );
                    CREATE INDEX video_rates_video ON video_rates(video_id);
                    CREATE INDEX video_rates_url ON video_rates(url);
                    """
            )
        }
        migrator.registerMigration("v9-abuses") { db in
            // Reports of videos, comments and accounts, local or received as ActivityPub Flags (`url`).
            try db.execute(
                sql: """
                    CREATE TABLE abuses (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        url TEXT UNIQUE,
                        reporter_account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
                        video_id INTEGER REFERENCES videos(id) ON DELETE SET NULL,
                        comment_id INTEGER REFERENCES comments(id) ON DELETE SET NULL,
                        flagged_account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
                        reason TEXT NOT NULL,
                        state INTEGER NOT NULL DEFAULT 1,
                        created_at REAL NOT NULL
                    );
                    """
            )
        }
        migrator.registerMigration("v10-mirrors") { db in
            // Other instances' copies of local videos (their CacheFiles), listed as redundancies until they expire.
            try db.execute(
                sql: """
                    CREATE TABLE video_mirrors (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        video_id INTEGER NOT NULL REFERENCES videos(id) ON DELETE CASCADE,
                        url TEXT NOT NULL UNIQUE,
                        base_url TEXT NOT NULL,
                        host TEXT NOT NULL,
                        expires_at REAL,
                        created_at REAL NOT NULL,
                        updated_at REAL NOT NULL
                    );
                    CREATE INDEX video_mirrors_video ON video_mirrors(video_id);
                    """
            )
        }
        migrator.registerMigration("v11-redundancy-allowed") { db in
            // Whether this instance mirrors the videos of an instance it follows (issue 6).
            try db.execute(sql: "ALTER TABLE follows ADD COLUMN redundancy_allowed INTEGER NOT NULL DEFAULT 0")
        }
        migrator.registerMigration("v12-mirror-copies") { db in
            // This instance's copies of remote videos (issue 6): one per video, copying until verified whole.
            try db.execute(
                sql: """
                    CREATE TABLE mirror_copies (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        video_id INTEGER NOT NULL UNIQUE REFERENCES videos(id) ON DELETE CASCADE,
                        strategy TEXT NOT NULL,
                        state TEXT NOT NULL,
                        size INTEGER NOT NULL DEFAULT 0,
                        expires_at REAL,
                        verified_at REAL,
                        created_at REAL NOT NULL,
                        updated_at REAL NOT NULL
                    )
                    """
            )
        }
        migrator.registerMigration("v13-instance-settings") { db in
            // Settings an administrator changes at run time (PUT /api/v1/config/custom), over the configuration file.
            try db.execute(sql: "CREATE TABLE instance_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        }
        migrator.registerMigration("v14-video-passwords") { db in
            // Passwords of password-protected videos (privacy 5, issue 14).
            try db.execute(
                sql: """
                    CREATE TABLE video_passwords (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        video_id INTEGER NOT NULL REFERENCES videos(id) ON DELETE CASCADE,
                        password TEXT NOT NULL,
                        created_at REAL NOT NULL,
                        updated_at REAL NOT NULL,
                        UNIQUE (video_id, password)
                    )
                    """
            )
        }
        migrator.registerMigration("v15-search-descriptions") { db in
            // Search reads descriptions too (issue 15): every video indexed again.
            for row in try Row.fetchAll(db, sql: "SELECT id, name, tags, description FROM videos") {
                try SQLiteVideoStore.replaceTrigrams(
                    db, videoId: row["id"], name: row["name"], tags: decodeTags(row["tags"]),
                    description: row["description"])
            }
        }
        migrator.registerMigration("v16-remote-videos-index") { db in
            // The mirror scheduler's candidates are remote public videos; through `videos_listing` it read every local
            // video's row too (issue 16: 10,000 local videos filled a 2 MB page cache at every start).
            try db.execute(sql: "CREATE INDEX videos_remote ON videos(privacy, state) WHERE remote IS NOT NULL")
        }
        migrator.registerMigration("v17-job-leases") { db in
            // Leases on running jobs (issue 18): who holds one, the token that fences its writes, until when. Jobs
            // running before this have no lease: the reaper takes them back at once.
            try db.execute(
                sql: """
                    ALTER TABLE jobs ADD COLUMN locked_by TEXT;
                    ALTER TABLE jobs ADD COLUMN claim_token TEXT;
                    ALTER TABLE jobs ADD COLUMN lease_expires_at REAL;
                    UPDATE jobs SET lease_expires_at = 0 WHERE state = 'running';
                    CREATE INDEX jobs_leases ON jobs(lease_expires_at) WHERE state = 'running';
                    """)
        }
        return migrator
    }
}
