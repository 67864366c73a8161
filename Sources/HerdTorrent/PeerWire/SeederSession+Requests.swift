extension SeederSession {
    // MARK: Serving, driven by the handler

    /// The oldest queued request, removed from the queue; nil while choked or when nothing is queued. Answer it with
    /// `PeerMessage.pieceHeader(for:)` and the block's bytes, then call `blockSent` (or `blockFailed`).
    public mutating func nextBlockToSend() -> BlockRequest? {
        guard state == .established, !amChoking, !queue.isEmpty else { return nil }
        return queue.removeFirst()
    }

    /// Like `nextBlockToSend()`, but first leaves to the swarm the queued blocks of pieces that other peers now hold
    /// (or are being sent): each is rejected (BEP 6) until it has been deferred `SeederLimits.deferToSwarm` seconds.
    /// Requests are pipelined long before they are served, so this is where most duplicates are avoided.
    public mutating func nextBlockToSend(now: Double, rejecting actions: inout [SeederAction]) -> BlockRequest? {
        while let request = nextBlockToSend() {
            guard shouldDefer(request, now: now) else {
                servedPieces.insert(request.index)
                return request
            }
            reject(request, into: &actions)
        }
        return nil
    }

    /// Whether to leave this block to the swarm now (see `swarmHolders`).
    mutating func shouldDefer(_ request: BlockRequest, now: Double) -> Bool {
        guard fastExtension, let swarmHolders, expiredDeferrals.count < limits.maxExpiredDeferrals else {
            return false
        }
        let index = Int(request.index)
        let mine = servedPieces.contains(request.index) || PieceBitfield.contains(peerPieces, index)
        let others = swarmHolders(index) - (mine ? 1 : 0)
        guard others > 0 else { return false }
        let since = deferred[request.index] ?? now
        deferred[request.index] = since
        // The more peers hold it, the longer the seed stays back. A peer that still asks after that could not get it
        // elsewhere (choked, or the holders are gone): after a few such pieces, it is served without waiting.
        guard now - since >= limits.deferToSwarm * Double(min(others, 2)) else { return true }
        if expiredDeferrals.insert(request.index).inserted { swarmMissed?(index) }
        return false
    }

    /// The block's `piece` message was written.
    public mutating func blockSent(_ request: BlockRequest, bytes: Int, now: Double) {
        statistics.uploadedBytes += Int64(bytes)
        statistics.blocksSent += 1
        lastSent = now
    }

    /// The block could not be read (file gone, I/O error): reject it (BEP 6), or close without the fast extension,
    /// since a plain BEP 3 peer would wait for it forever.
    public mutating func blockFailed(_ request: BlockRequest, now: Double) -> [SeederAction] {
        guard state == .established else { return [] }
        var actions: [SeederAction] = []
        refuse(request, reason: "could not read \(request)", into: &actions)
        return stamp(actions, now: now)
    }

    /// Choke the peer (e.g. to free an upload slot). BEP 3 drops its queued requests; with BEP 6 each one is rejected.
    public mutating func choke(now: Double) -> [SeederAction] {
        guard state == .established, !amChoking else { return [] }
        var actions: [SeederAction] = []
        amChoking = true
        send(.choke, into: &actions)
        let dropped = queue
        queue.removeAll()
        if fastExtension {
            for request in dropped { reject(request, into: &actions) }
        }
        return stamp(actions, now: now)
    }

    /// Unchoke the peer (when `SeederLimits.unchokeOnInterested` is off, or after `choke(now:)`).
    public mutating func unchoke(now: Double) -> [SeederAction] {
        guard state == .established, amChoking else { return [] }
        var actions: [SeederAction] = []
        unchoke(into: &actions)
        return stamp(actions, now: now)
    }

    // MARK: Peer messages

    mutating func unchoke(into actions: inout [SeederAction]) {
        amChoking = false
        send(.unchoke, into: &actions)
        if !queue.isEmpty { actions.append(.blocksAvailable) }
    }

    /// BEP 3 request, with BEP 6 rejects: invalid blocks and a full queue are rejected with the fast extension, and
    /// close the connection without it; requests while choked are rejected (BEP 6) or dropped (BEP 3).
    mutating func handleRequest(_ request: BlockRequest, into actions: inout [SeederAction]) {
        guard let torrent else { return }
        statistics.requestsReceived += 1
        guard request.length > 0, Int(request.length) <= limits.maxBlockLength else {
            refuse(request, reason: "request of \(request.length) bytes", into: &actions)
            return
        }
        guard torrent.contains(request) else {
            refuse(request, reason: "request past the end of the piece: \(request)", into: &actions)
            return
        }
        guard !amChoking else {
            if fastExtension { reject(request, into: &actions) }
            return
        }
        guard !queue.contains(request) else { return }  // A repeated request is served once.
        // The swarm has this piece: let the peer take it there, unless it has been asking for a while (BEP 6).
        if shouldDefer(request, now: lastReceived) {
            reject(request, into: &actions)
            return
        }
        guard queue.count < limits.maxQueuedRequests else {
            refuse(request, reason: "more than \(limits.maxQueuedRequests) queued requests", into: &actions)
            return
        }
        queue.append(request)
        if queue.count == 1 { actions.append(.blocksAvailable) }
    }

    /// BEP 3 cancel. With BEP 6 every request gets a piece or a reject, so a cancelled queued request is rejected.
    mutating func handleCancel(_ request: BlockRequest, into actions: inout [SeederAction]) {
        guard let position = queue.firstIndex(of: request) else { return }  // Already sent, or never asked.
        queue.remove(at: position)
        statistics.requestsCancelled += 1
        if fastExtension { reject(request, into: &actions) }
    }

    private mutating func refuse(_ request: BlockRequest, reason: String, into actions: inout [SeederAction]) {
        if fastExtension {
            reject(request, into: &actions)
        } else {
            close(reason, into: &actions)
        }
    }

    mutating func reject(_ request: BlockRequest, into actions: inout [SeederAction]) {
        statistics.requestsRejected += 1
        send(.rejectRequest(request), into: &actions)
    }
}
