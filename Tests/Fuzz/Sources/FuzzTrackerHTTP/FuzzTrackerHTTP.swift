import FuzzSupport
import HerdBencode
import HerdCore

@testable import HerdTracker

/// The HTTP tracker's query strings (BEP 3 announce with BEP 7 and 23 answers, BEP 48 scrape). The first byte picks
/// the client's address (loopback, which may name another with `ip`, or not); the rest is the raw query, which
/// goes through the parsers and then through a whole tracker twice, so the second announce sees the first peer.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTrackerHTTP(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    guard let control = bytes.first else { return 0 }
    let query = String(decoding: bytes.dropFirst(), as: UTF8.self)
    let remote = control & 1 == 0 ? PeerAddress("127.0.0.1")! : PeerAddress("2001:db8::7")!

    _ = try? QueryString(query)
    _ = try? HTTPAnnounce.parse(query: query, remote: remote)
    _ = try? HTTPScrape.parse(query: query)

    // The seeds announce this info-hash (percent-encoded in their queries).
    var tracker = Tracker()
    tracker.register(InfoHash(hex: "123456789abcdef0123456789abcdef012345678")!)
    for second in 0..<2 {
        let answer = tracker.httpAnnounce(query: query, remote: remote, now: Double(second))
        precondition(
            (try? BencodeDecoder().decode(answer)) != nil, "the tracker answered with bytes that are not bencode")
    }
    _ = tracker.httpScrape(query: query, now: 2)
    _ = tracker.expire(now: 10_000)
    return 0
}

@main enum FuzzTrackerHTTPMain {
    static func main() { runFuzzer() }
}
