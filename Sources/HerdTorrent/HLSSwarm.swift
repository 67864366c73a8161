import HerdCrypto

/// The swarm keys PeerTube's player (p2p-media-loader) uses for HLS: one per variant of a master playlist,
/// `sha1("2" + masterPlaylistURL + "+V" + index)` — "2" is the loader's swarm-id version, `index` the
/// variant's position in the master playlist. Browser peers watching the same rung meet in that swarm.
public enum HLSSwarm {
    public static func infoHash(masterPlaylistURL: String, variantIndex: Int) -> [UInt8] {
        Digest.sha1(Array(("2" + masterPlaylistURL + "+V" + String(variantIndex)).utf8))
    }
}
