import Foundation

/// A magnet link (BEP 9): `xt=urn:btih:<info-hash>`, `dn`, trackers `tr`, web seeds `ws`, and `xs` for the
/// .torrent's own URL, in the order PeerTube writes them.
public struct Magnet: Sendable, Equatable {
    public var infoHash: String
    public var name: String?
    public var trackers: [String]
    public var webSeeds: [String]
    public var torrentURL: String?

    public init(
        infoHash: String, name: String? = nil, trackers: [String] = [], webSeeds: [String] = [],
        torrentURL: String? = nil
    ) {
        self.infoHash = infoHash.lowercased()
        self.name = name
        self.trackers = trackers
        self.webSeeds = webSeeds
        self.torrentURL = torrentURL
    }

    public var uri: String {
        var parts: [String] = []
        if let torrentURL { parts.append("xs=" + Self.encode(torrentURL)) }
        parts.append("xt=urn:btih:" + infoHash)
        if let name { parts.append("dn=" + Self.encode(name)) }
        parts += trackers.map { "tr=" + Self.encode($0) }
        parts += webSeeds.map { "ws=" + Self.encode($0) }
        return "magnet:?" + parts.joined(separator: "&")
    }

    public init?(uri: String) {
        guard uri.hasPrefix("magnet:?") else { return nil }
        var hash: String?
        var name: String?
        var trackers: [String] = []
        var seeds: [String] = []
        var torrent: String?
        for item in uri.dropFirst("magnet:?".count).split(separator: "&") {
            let pair = item.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let value =
                String(pair[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(pair[1])
            switch pair[0] {
            case "xt" where value.lowercased().hasPrefix("urn:btih:"): hash = String(value.dropFirst("urn:btih:".count))
            case "dn": name = value
            case "tr": trackers.append(value)
            case "ws": seeds.append(value)
            case "xs": torrent = value
            default: continue
            }
        }
        guard let hash, hash.count == 40, hash.allSatisfy(\.isHexDigit) else { return nil }
        self.init(infoHash: hash, name: name, trackers: trackers, webSeeds: seeds, torrentURL: torrent)
    }

    /// Form encoding as the `magnet-uri` package writes it: spaces as `+`, reserved characters escaped.
    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-_.!~*'() ")
        let escaped = text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
        return escaped.replacingOccurrences(of: " ", with: "+")
    }
}
