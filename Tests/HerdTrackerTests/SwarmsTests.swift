import Testing

@testable import HerdTracker

@Suite("Swarms: registry, peer table, limits")
struct SwarmsTests {
    static func tcp(
        _ n: Int, _ ip: String, left: Int64? = 100, event: AnnounceEvent = .update,
        hash: InfoHash = Fixture.peerTubeHash,
        key: String? = nil, numwant: Int? = nil
    ) -> AnnounceRequest {
        AnnounceRequest(
            infoHash: hash, peerID: Fixture.peerID(n), transport: .tcp(Fixture.endpoint(ip, 6881)), left: left,
            event: event, numwant: numwant, key: key)
    }

    @Test func unknownHashesAreRefusedAndNotCreated() throws {
        var swarms = Swarms()
        #expect(!swarms.isKnown(Fixture.peerTubeHash))
        #expect(throws: TrackerFailure.unknownInfoHash) { try swarms.announce(Self.tcp(1, "10.0.0.1"), now: 0) }
        #expect(swarms.registeredCount == 0)
        let first = swarms.register(Fixture.peerTubeHash)
        let second = swarms.register(Fixture.peerTubeHash)
        #expect(first && !second)
        #expect(swarms.isKnown(Fixture.peerTubeHash))
        _ = try swarms.announce(Self.tcp(1, "10.0.0.1"), now: 0)
        #expect(swarms.peerCount == 1)
        let removed = swarms.unregister(Fixture.peerTubeHash)
        #expect(removed)
        #expect(swarms.peerCount == 0)
        #expect(!swarms.isKnown(Fixture.peerTubeHash))
        let again = swarms.unregister(Fixture.peerTubeHash)
        #expect(!again)
    }

    @Test func stoppedRemovesThePeer() throws {
        var swarms = Swarms()
        swarms.register(Fixture.peerTubeHash)
        _ = try swarms.announce(Self.tcp(1, "10.0.0.1"), now: 0)
        _ = try swarms.announce(Self.tcp(2, "10.0.0.2", left: 0), now: 0)
        let stopped = try swarms.announce(Self.tcp(1, "10.0.0.1", event: .stopped), now: 1)
        #expect(stopped.peers.isEmpty)
        #expect(!stopped.recorded)
        #expect(stopped.complete == 1)
        #expect(stopped.incomplete == 0)
        #expect(swarms.peerCount == 1)
        #expect(swarms.peers(in: Fixture.peerTubeHash, now: 1).map(\.id) == [Fixture.peerID(2)])
    }

    @Test func peerIDsCannotBeMovedOrStoppedFromAnotherAddressWithoutTheKey() throws {
        var swarms = Swarms()
        swarms.register(Fixture.peerTubeHash)
        _ = try swarms.announce(Self.tcp(1, "10.0.0.1", key: "k1"), now: 0)
        let spoofedStop = try swarms.announce(Self.tcp(1, "10.9.9.9", event: .stopped), now: 1)
        #expect(!spoofedStop.recorded)
        #expect(swarms.peerCount == 1)
        let spoofedMove = try swarms.announce(Self.tcp(1, "10.9.9.9", key: "wrong"), now: 1)
        #expect(!spoofedMove.recorded)
        #expect(swarms.peers(in: Fixture.peerTubeHash, now: 1).first?.endpoint == Fixture.endpoint("10.0.0.1", 6881))
        // The real client, now on a new address, proves itself with its key.
        let moved = try swarms.announce(Self.tcp(1, "10.0.0.77", key: "k1"), now: 2)
        #expect(moved.recorded)
        #expect(swarms.peers(in: Fixture.peerTubeHash, now: 2).first?.endpoint == Fixture.endpoint("10.0.0.77", 6881))
    }

    @Test func completedCountsOncePerPeer() throws {
        var swarms = Swarms()
        swarms.register(Fixture.peerTubeHash)
        _ = try swarms.announce(Self.tcp(1, "10.0.0.1", event: .started), now: 0)
        _ = try swarms.announce(Self.tcp(1, "10.0.0.1", left: 0, event: .completed), now: 1)
        _ = try swarms.announce(Self.tcp(1, "10.0.0.1", left: 0, event: .completed), now: 2)
        _ = try swarms.announce(Self.tcp(2, "10.0.0.2", left: 0, event: .completed), now: 2)
        let stats = swarms.stats(for: Fixture.peerTubeHash, now: 3)
        #expect(stats == ScrapeStats(complete: 2, incomplete: 0, downloaded: 2))
    }

    @Test func silentPeersExpire() throws {
        var swarms = Swarms()  // timeout 2 × 120 + 30 = 270 s
        #expect(swarms.limits.peerTimeout == 270)
        swarms.register(Fixture.peerTubeHash)
        _ = try swarms.announce(Self.tcp(1, "10.0.0.1"), now: 0)
        _ = try swarms.announce(Self.tcp(2, "10.0.0.2"), now: 100)
        #expect(swarms.expire(now: 270) == 0)
        #expect(swarms.expire(now: 270.5) == 1)
        #expect(swarms.peerCount == 1)
        #expect(swarms.peers(in: Fixture.peerTubeHash, now: 270.5).map(\.id) == [Fixture.peerID(2)])
        // Re-announcing keeps a peer alive.
        _ = try swarms.announce(Self.tcp(2, "10.0.0.2"), now: 360)
        #expect(swarms.expire(now: 600) == 0)
        #expect(swarms.expire(now: 631) == 1)
        #expect(swarms.peerCount == 0)
    }

    @Test func listingExpiresLazily() throws {
        var swarms = Swarms()
        swarms.register(Fixture.peerTubeHash)
        _ = try swarms.announce(Self.tcp(1, "10.0.0.1", left: 0), now: 0)
        _ = try swarms.announce(Self.tcp(2, "10.0.0.2"), now: 200)
        let result = try swarms.announce(Self.tcp(3, "10.0.0.3"), now: 300)
        #expect(result.peers.map(\.id) == [Fixture.peerID(2)])
        #expect(result.complete == 0)
        #expect(result.incomplete == 2)
        #expect(swarms.peerCount == 2)
        #expect(
            swarms.stats(for: Fixture.peerTubeHash, now: 471) == ScrapeStats(complete: 0, incomplete: 1, downloaded: 0))
    }

    @Test func fullSwarmServesButDoesNotRecordNewPeers() throws {
        var swarms = Swarms(limits: TrackerLimits(maxPeersPerSwarm: 3))
        swarms.register(Fixture.peerTubeHash)
        for n in 1...3 { _ = try swarms.announce(Self.tcp(n, "10.0.0.\(n)"), now: 0) }
        let fourth = try swarms.announce(Self.tcp(4, "10.0.0.4"), now: 1)
        #expect(!fourth.recorded)
        #expect(fourth.peers.count == 3)
        #expect(fourth.incomplete == 3)
        #expect(swarms.peerCount == 3)
        // Known peers still update.
        #expect(try swarms.announce(Self.tcp(2, "10.0.0.2", left: 0), now: 2).recorded)
        // Once a slot frees up, the newcomer gets in.
        _ = try swarms.announce(Self.tcp(1, "10.0.0.1", event: .stopped), now: 3)
        #expect(try swarms.announce(Self.tcp(4, "10.0.0.4"), now: 4).recorded)
        #expect(
            swarms.stats(for: Fixture.peerTubeHash, now: 4) == ScrapeStats(complete: 1, incomplete: 2, downloaded: 0))
    }

    @Test func totalPeerLimitSpansSwarms() throws {
        var swarms = Swarms(limits: TrackerLimits(maxTotalPeers: 2))
        swarms.register(Fixture.peerTubeHash)
        swarms.register(Fixture.otherHash)
        #expect(try swarms.announce(Self.tcp(1, "10.0.0.1"), now: 0).recorded)
        #expect(try swarms.announce(Self.tcp(2, "10.0.0.2", hash: Fixture.otherHash), now: 0).recorded)
        #expect(try !swarms.announce(Self.tcp(3, "10.0.0.3", hash: Fixture.otherHash), now: 0).recorded)
        #expect(swarms.peerCount == 2)
    }

    @Test func httpAnnouncesNeverSeeWebSocketPeers() throws {
        var swarms = Swarms()
        swarms.register(Fixture.peerTubeHash)
        let browser = AnnounceRequest(
            infoHash: Fixture.peerTubeHash, peerID: Fixture.peerID(1), transport: .webSocket(connection: 7), left: nil)
        _ = try swarms.announce(browser, now: 0)
        let result = try swarms.announce(Self.tcp(2, "10.0.0.2"), now: 1)
        #expect(result.peers.isEmpty)
        #expect(result.incomplete == 2)
        // The same peer id over both transports keeps two entries.
        _ = try swarms.announce(Self.tcp(1, "10.0.0.1"), now: 2)
        #expect(swarms.peerCount == 3)
    }
}
