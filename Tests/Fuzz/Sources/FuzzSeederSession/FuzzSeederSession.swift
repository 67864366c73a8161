import FuzzSupport
import HerdTorrent

/// The seeder's state machine for one connection, fed a peer's bytes (BEP 3, 6, 10): the first byte seeds the
/// chunking and what happens between chunks (clock ticks, blocks pulled and sent, choke and unchoke, failed reads).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSeederSession(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    guard let control = bytes.first else { return 0 }
    var random = FuzzRandom(seed: control)
    // Any info-hash not starting with 0xFF is seeded: 40 pieces of 32 KiB, the last one short.
    let torrent = SeededTorrent(pieceLength: 32 * 1024, totalLength: 39 * 32 * 1024 + 1000)
    var session = SeederSession(
        localPeerID: Array("-HD0001-fuzzfuzzfuzz".utf8), now: 0,
        lookup: { hash in hash.first == 0xFF ? nil : torrent })
    if control & 1 == 1 {
        // Some pieces are held by the swarm: requests for them are deferred (BEP 6 reject), then served.
        session.swarmHolders = { piece in piece % 3 }
        session.swarmMissed = { _ in }
    }
    var now = 0.0
    for chunk in Array(bytes.dropFirst()).fuzzChunks(maxChunk: 96, random: &random) {
        now += Double(random.below(8))
        var actions = session.received(chunk, now: now)
        switch random.below(6) {
        case 0: actions += session.tick(now: now + Double(random.below(200)))
        case 1: actions += session.choke(now: now)
        case 2: actions += session.unchoke(now: now)
        default: break
        }
        while let block = session.nextBlockToSend(now: now, rejecting: &actions) {
            if random.below(8) == 0 {
                actions += session.blockFailed(block, now: now)
            } else {
                session.blockSent(block, bytes: Int(block.length), now: now)
            }
        }
        if actions.contains(where: { if case .close = $0 { true } else { false } }) { break }
    }
    return 0
}

@main enum FuzzSeederSessionMain {
    static func main() { runFuzzer() }
}
