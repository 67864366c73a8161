import HerdBencode

extension SeederSession {
    /// BEP 3 handshake, answered with ours, the BEP 10 extension handshake and our availability (BEP 3 / BEP 6).
    mutating func handle(_ handshake: PeerHandshake, into actions: inout [SeederAction]) {
        guard let torrent = lookup(handshake.infoHash) else {
            close("unknown info-hash \(Self.hex(handshake.infoHash))", into: &actions)
            return
        }
        guard handshake.peerID != localPeerID else {
            close("connected to ourselves", into: &actions)
            return
        }
        state = .established
        infoHash = handshake.infoHash
        remoteHandshake = handshake
        self.torrent = torrent
        peerPieces = [UInt8](repeating: 0, count: PieceBitfield.byteCount(pieceCount: torrent.pieceCount))
        // A big torrent's bitfield may not fit the default limit.
        decoder.maxMessageLength = max(limits.maxMessageLength, 1 + peerPieces.count)

        actions.append(.handshakeAccepted(infoHash: handshake.infoHash))
        let ours = PeerHandshake(
            infoHash: handshake.infoHash, peerID: localPeerID, extensionProtocol: true, fastExtension: true)
        actions.append(.send(ours.encoded))
        if handshake.supportsExtensionProtocol {
            send(.extended(id: 0, payload: extensionHandshake.encoded()), into: &actions)
        }
        if handshake.supportsFastExtension {
            send(.haveAll, into: &actions)
        } else {
            send(.bitfield(PieceBitfield.full(pieceCount: torrent.pieceCount)), into: &actions)
        }
    }

    /// BEP 10: no extension messages (`m` empty), our name, and how many requests we queue (`reqq`).
    var extensionHandshake: Bencode {
        .dict([
            ("m", .dict([])), ("v", .string(clientVersion)), ("reqq", .integer(Int64(limits.maxQueuedRequests))),
        ])
    }

    /// The peer's extension handshake (BEP 10): only `v` is used. Undecodable payloads are ignored.
    mutating func handleExtensionHandshake(_ payload: [UInt8]) {
        guard let value = try? BencodeDecoder().decode(payload), let name = value["v"]?.text else { return }
        peerClientName = String(name.prefix(64))
    }
}
