import HerdBencode

/// The HTTP scrape convention (BEP 48): `GET /scrape?info_hash=…&info_hash=…` answered with
/// `{files: {<20-byte hash>: {complete, downloaded, incomplete}}}`.
public enum HTTPScrape {
    /// The requested hashes, in order, duplicates dropped. At least one is required (no full scrape: it would list
    /// every swarm), at most `limits.maxScrapeHashes`.
    public static func parse(
        query: some StringProtocol, limits: TrackerLimits = TrackerLimits()
    ) throws(TrackerFailure) -> [InfoHash] {
        guard query.utf8.count <= limits.maxQueryLength else { throw TrackerFailure("query too long") }
        let values = try QueryString(query).values("info_hash")
        guard !values.isEmpty else { throw .missing("info_hash") }
        guard values.count <= limits.maxScrapeHashes else { throw TrackerFailure("too many info_hash") }
        var hashes: [InfoHash] = []
        for bytes in values {
            guard let hash = InfoHash(bytes: bytes) else { throw TrackerFailure("info_hash must be 20 bytes") }
            if !hashes.contains(hash) { hashes.append(hash) }
        }
        return hashes
    }

    /// The bencoded answer; hashes missing from `stats` (unknown ones) are simply absent, as BEP 48 allows.
    public static func response(_ stats: [InfoHash: ScrapeStats]) -> [UInt8] {
        let files = stats.map { hash, stats in
            (
                key: hash.bytes,
                value: Bencode.dict([
                    ("complete", .integer(Int64(stats.complete))),
                    ("downloaded", .integer(Int64(stats.downloaded))),
                    ("incomplete", .integer(Int64(stats.incomplete))),
                ])
            )
        }
        return Bencode.dict([("files", .dictionary(files))]).encoded()
    }
}

extension Swarms {
    /// The whole HTTP scrape: parses `query` and returns the bencoded body (success or failure, status 200).
    public mutating func httpScrape(query: some StringProtocol, now: Double) -> [UInt8] {
        do {
            let hashes = try HTTPScrape.parse(query: query, limits: limits)
            return HTTPScrape.response(scrape(hashes, now: now))
        } catch {
            return HTTPAnnounce.failure(error)
        }
    }
}
