import FuzzSupport

@testable import HerdTracker

/// The WebTorrent tracker's JSON text frames. Frames are separated by NUL bytes (JSON text never holds a raw NUL)
/// and come alternately from two connections, one second apart, so announces, relayed offers, answers and scrapes
/// meet; then both connections go away.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTrackerWebSocket(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    var tracker = Tracker()
    // The seeds announce this info-hash (as a binary string: one character per byte).
    tracker.register(InfoHash(hex: "123456789abcdef0123456789abcdef012345678")!)
    let frames = bytes.split(separator: 0, maxSplits: 15, omittingEmptySubsequences: false)
    for (index, frame) in frames.enumerated() {
        let text = String(decoding: frame, as: UTF8.self)
        _ = try? JSONParser.parse(text)
        _ = tracker.receive(text, from: index % 2, now: Double(index))
    }
    tracker.disconnect(connection: 0)
    tracker.disconnect(connection: 1)
    precondition(tracker.webSockets.connectionCount == 0, "a connection outlived its disconnect")
    return 0
}

@main enum FuzzTrackerWebSocketMain {
    static func main() { runFuzzer() }
}
