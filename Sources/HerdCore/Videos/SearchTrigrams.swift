import Foundation

/// Typo-tolerant search by trigrams, as PostgreSQL's pg_trgm does it: each word, lowercased and without diacritics,
/// is padded with two spaces before and one after, and cut into every run of three characters. A video matches
/// when it holds at least half of the query's trigrams, so a typo (which changes at most three) still finds it.
public enum SearchTrigrams {
    /// The share of the query's trigrams a video must hold.
    public static let threshold = 0.5
    /// Longer queries are cut to this many distinct trigrams.
    public static let maxQueryTrigrams = 64

    /// The distinct trigrams of `text`, in order of first appearance.
    public static func of(_ text: String) -> [String] {
        var seen: Set<String> = []
        var result: [String] = []
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased()
        for word in folded.split(whereSeparator: { !$0.isLetter && !$0.isNumber }) {
            let padded = Array("  " + word + " ")
            for start in 0...(padded.count - 3) {
                let trigram = String(padded[start..<start + 3])
                if seen.insert(trigram).inserted { result.append(trigram) }
            }
        }
        return result
    }

    /// The trigrams of a query (at most `maxQueryTrigrams`), and how many of them a match must hold.
    public static func query(_ text: String) -> (trigrams: [String], required: Int) {
        let trigrams = Array(of(text).prefix(maxQueryTrigrams))
        let required = max(1, Int((Double(trigrams.count) * threshold).rounded(.up)))
        return (trigrams, required)
    }
}
