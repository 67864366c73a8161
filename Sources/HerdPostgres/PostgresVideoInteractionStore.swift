import Foundation
import HerdCore
import PostgresNIO

struct PostgresVideoInteractionStore: VideoInteractionStore {
    let db: PostgresConnections

    func rate(videoId: Int64, accountId: Int64, _ rating: VideoRating, url: String?) async throws -> VideoRating {
        try await db.transaction {
            // The row is locked until the commit, so two ratings by one account cannot both read the same previous one.
            let previous =
                try await db.first(
                    """
                    SELECT rating FROM video_rates WHERE account_id = \(accountId) AND video_id = \(videoId) FOR UPDATE
                    """
                ).flatMap { VideoRating(rawValue: try $0.decode(String.self)) } ?? .none
            if rating == .none {
                try await db.query("DELETE FROM video_rates WHERE account_id = \(accountId) AND video_id = \(videoId)")
            } else {
                try await db.query(
                    """
                    INSERT INTO video_rates (account_id, video_id, rating, url, created_at)
                    VALUES (\(accountId), \(videoId), \(rating.rawValue), \(url), now())
                    ON CONFLICT (account_id, video_id) DO UPDATE SET rating = excluded.rating, url = excluded.url
                    """)
            }
            // A local video's counts follow the rows; a remote video's are its origin's, moved by this rating's change
            // until the origin's next count.
            try await db.query(
                """
                UPDATE videos SET
                    likes = (SELECT COUNT(*) FROM video_rates WHERE video_id = \(videoId) AND rating = 'like'),
                    dislikes = (SELECT COUNT(*) FROM video_rates WHERE video_id = \(videoId) AND rating = 'dislike')
                WHERE id = \(videoId) AND remote IS NULL
                """)
            func delta(_ kind: VideoRating) -> Int { (rating == kind ? 1 : 0) - (previous == kind ? 1 : 0) }
            try await db.query(
                """
                UPDATE videos SET likes = GREATEST(0, likes + \(delta(.like))),
                    dislikes = GREATEST(0, dislikes + \(delta(.dislike)))
                WHERE id = \(videoId) AND remote IS NOT NULL
                """)
            return previous
        }
    }

    func rating(videoId: Int64, accountId: Int64) async throws -> VideoRating {
        try await db.first("SELECT rating FROM video_rates WHERE account_id = \(accountId) AND video_id = \(videoId)")
            .flatMap { VideoRating(rawValue: try $0.decode(String.self)) } ?? .none
    }

    func rating(url: String) async throws -> (videoId: Int64, accountId: Int64)? {
        try await db.first("SELECT video_id, account_id FROM video_rates WHERE url = \(url)").map {
            try $0.decode((Int64, Int64).self)
        }
    }

    func addViews(_ views: [Int64: Int]) async throws {
        guard !views.isEmpty else { return }
        // One statement, in id order (rows locked in one order cannot deadlock with another node's flush).
        let sorted = views.sorted { $0.key < $1.key }
        try await db.query(
            """
            UPDATE videos v SET views = v.views + d.count
            FROM unnest(\(sorted.map(\.key)), \(sorted.map(\.value))) AS d(id, count) WHERE v.id = d.id
            """)
    }
}
