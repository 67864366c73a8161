/// The tracker URLs an instance puts in its torrents and magnets.
public struct TrackerURLs: Sendable, Equatable {
    /// `http(s)://host/tracker/announce` (BEP 3).
    public var http: String
    /// `ws(s)://host/tracker/socket` (the WebTorrent tracker protocol).
    public var webSocket: String

    public init(baseURL: String) {
        http = baseURL + "/tracker/announce"
        if baseURL.hasPrefix("https://") {
            webSocket = "wss://" + baseURL.dropFirst("https://".count) + "/tracker/socket"
        } else {
            webSocket = "ws://" + baseURL.dropFirst("http://".count) + "/tracker/socket"
        }
    }

    /// BEP 12 tiers: HTTP first, which every BitTorrent client speaks; WebSocket for browsers.
    public var announceList: [[String]] { [[http], [webSocket]] }
    public var all: [String] { [http, webSocket] }
}

extension Metainfo {
    /// The same torrent with other web seeds (BEP 19). The info dictionary, and so the info-hash, is unchanged.
    public func withWebSeeds(_ seeds: [String]) -> Metainfo {
        var copy = self
        copy.urlList = seeds
        return copy
    }

    /// The magnet link for this torrent (BEP 9), with the .torrent's own URL as `xs`.
    public func magnet(torrentURL: String?) -> Magnet {
        var trackers: [String] = []
        for url in (announce.map { [$0] } ?? []) + announceList.flatMap({ $0 }) where !trackers.contains(url) {
            trackers.append(url)
        }
        return Magnet(infoHash: infoHash, name: name, trackers: trackers, webSeeds: urlList, torrentURL: torrentURL)
    }
}
