import FuzzSupport
import HerdTorrent

/// The BitTorrent peer wire (BEP 3, 6, 10) as a peer sends it: the first byte picks how the stream is cut into
/// chunks and whether a handshake comes first; the rest is the stream. Whatever decodes must encode back the same.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPeerWire(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    guard let control = bytes.first else { return 0 }
    let stream = Array(bytes.dropFirst())
    var random = FuzzRandom(seed: control)
    var decoder = PeerWireDecoder(expectHandshake: control & 1 == 0)
    var decoded: [UInt8] = []
    feeding: for chunk in stream.fuzzChunks(maxChunk: 1 + Int(control >> 1), random: &random) {
        decoder.feed(chunk)
        while true {
            let event: PeerWireEvent?
            do {
                event = try decoder.next()
            } catch {
                break feeding
            }
            guard let event else { break }
            switch event {
            case .handshake(let handshake): decoded += handshake.encoded
            case .message(let message): decoded += message.encoded
            }
        }
    }
    precondition(stream.starts(with: decoded), "decoded events do not re-encode to the bytes they came from")

    // The one-shot decoders, straight on the input.
    _ = try? PeerHandshake(decoding: stream.prefix(PeerHandshake.byteCount))
    if let id = stream.first { _ = try? PeerMessage.decode(id: id, payload: stream.dropFirst()) }
    return 0
}

@main enum FuzzPeerWireMain {
    static func main() { runFuzzer() }
}
