extension SeederSession {
    /// One message from the peer, once the handshake is done.
    mutating func handle(_ message: PeerMessage, into actions: inout [SeederAction]) {
        guard let torrent else { return }
        switch message {
        case .keepAlive:
            return  // Only refreshes the idle timer (BEP 3).
        case .extended(let id, let payload):
            if id == 0 { handleExtensionHandshake(payload) }  // BEP 10; we registered no other extension.
            return
        case .port:
            return  // BEP 5: we run no DHT node.
        case .unknown:
            return  // BEP 3: ignore unknown ids.
        case .bitfield(let bits):
            guard PieceBitfield.isValid(bits, pieceCount: torrent.pieceCount) else {
                close(
                    "bitfield of \(bits.count) bytes for \(torrent.pieceCount) pieces or spare bits set", into: &actions
                )
                return
            }
            announceAvailability(bits, "bitfield", into: &actions)
            return
        case .haveAll, .haveNone:
            guard fastExtension else {
                close("have all/none without the fast extension", into: &actions)  // BEP 6
                return
            }
            let all = message == .haveAll
            let bits = all ? PieceBitfield.full(pieceCount: torrent.pieceCount) : peerPieces
            announceAvailability(bits, all ? "have all" : "have none", into: &actions)
            return
        default:
            break
        }
        switch message {
        case .choke: peerChoking = true
        case .unchoke: peerChoking = false
        case .interested:
            peerInterested = true
            if limits.unchokeOnInterested, amChoking { unchoke(into: &actions) }
        case .notInterested:
            peerInterested = false
        case .have(let index):
            guard Int(index) < torrent.pieceCount else {
                close("have for piece \(index) of \(torrent.pieceCount)", into: &actions)
                return
            }
            if !PieceBitfield.contains(peerPieces, Int(index)) {
                PieceBitfield.insert(Int(index), into: &peerPieces)
                peerPieceCount += 1
                closeIfPeerIsSeed(into: &actions)
            }
        case .request(let index, let begin, let length):
            handleRequest(BlockRequest(index: index, begin: begin, length: length), into: &actions)
        case .cancel(let index, let begin, let length):
            handleCancel(BlockRequest(index: index, begin: begin, length: length), into: &actions)
        case .piece:
            close("piece message sent to a seed, which requests nothing", into: &actions)
        case .suggestPiece, .rejectRequest, .allowedFast:
            // BEP 6: these only make sense for a downloader; they are errors when the extension is off.
            if !fastExtension { close("fast-extension message without the fast extension", into: &actions) }
        case .keepAlive, .extended, .port, .unknown, .bitfield, .haveAll, .haveNone:
            break  // Handled above.
        }
    }

    /// Bitfield, have all or have none. BEP 3 and BEP 6 allow one, before other state messages, but real clients
    /// send more (aria2 sends `have none`, then a bitfield once it has pieces): a later one replaces what we knew.
    private mutating func announceAvailability(_ bits: [UInt8], _ name: String, into actions: inout [SeederAction]) {
        peerPieces = bits
        peerPieceCount = PieceBitfield.setCount(bits)
        closeIfPeerIsSeed(into: &actions)
    }

    private mutating func closeIfPeerIsSeed(into actions: inout [SeederAction]) {
        if limits.closeWhenPeerIsSeed, peerIsSeed { close("peer is a seed too", into: &actions) }
    }
}
