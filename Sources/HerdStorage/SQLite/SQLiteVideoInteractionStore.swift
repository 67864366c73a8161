import Foundation
import GRDB
import HerdCore

struct SQLiteVideoInteractionStore: VideoInteractionStore {
    let pool: SQLiteConnections

    func rate(videoId: Int64, accountId: Int64, _ rating: VideoRating, url: String?) async throws -> VideoRating {
        try await pool.write { db in
            let previous =
                try String.fetchOne(
                    db.cachedStatement(sql: "SELECT rating FROM video_rates WHERE account_id = ? AND video_id = ?"),
                    arguments: [accountId, videoId]
                ).flatMap(VideoRating.init(rawValue:)) ?? .none
            if rating == .none {
                try db.execute(
                    sql: "DELETE FROM video_rates WHERE account_id = ? AND video_id = ?",
                    arguments: [accountId, videoId])
            } else {
                try db.execute(
                    sql: """
                        INSERT INTO video_rates (account_id, video_id, rating, url, created_at) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (account_id, video_id) DO UPDATE SET rating = excluded.rating, url = excluded.url
                        """,
                    arguments: [accountId, videoId, rating.rawValue, url, Date().databaseValue])
            }
            // A local video's counts follow the rows (one statement, so concurrent ratings cannot lose an update);
            // a remote video's are its origin's, moved by this rating's change until the origin's next count.
            try db.execute(
                sql: """
                    UPDATE videos SET
                        likes = (SELECT COUNT(*) FROM video_rates WHERE video_id = ?1 AND rating = 'like'),
                        dislikes = (SELECT COUNT(*) FROM video_rates WHERE video_id = ?1 AND rating = 'dislike')
                    WHERE id = ?1 AND remote IS NULL
                    """,
                arguments: [videoId])
            func delta(_ kind: VideoRating) -> Int { (rating == kind ? 1 : 0) - (previous == kind ? 1 : 0) }
            try db.execute(
                sql: """
                    UPDATE videos SET likes = MAX(0, likes + ?), dislikes = MAX(0, dislikes + ?)
                    WHERE id = ? AND remote IS NOT NULL
                    """,
                arguments: [delta(.like), delta(.dislike), videoId])
            return previous
        }
    }

    func rating(videoId: Int64, accountId: Int64) async throws -> VideoRating {
        try await pool.readHere { db in
            try String.fetchOne(
                db.cachedStatement(sql: "SELECT rating FROM video_rates WHERE account_id = ? AND video_id = ?"),
                arguments: [accountId, videoId]
            ).flatMap(VideoRating.init(rawValue:)) ?? .none
        }
    }

    func rating(url: String) async throws -> (videoId: Int64, accountId: Int64)? {
        try await pool.readHere { db in
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT video_id, account_id FROM video_rates WHERE url = ?"), arguments: [url]
            )
            .map { ($0[0], $0[1]) }
        }
    }

    func addViews(_ views: [Int64: Int]) async throws {
        guard !views.isEmpty else { return }
        try await pool.write { db in
            let statement = try db.cachedStatement(sql: "UPDATE videos SET views = views + ? WHERE id = ?")
            for (id, count) in views.sorted(by: { $0.key < $1.key }) { try statement.execute(arguments: [count, id]) }
        }
    }
}
