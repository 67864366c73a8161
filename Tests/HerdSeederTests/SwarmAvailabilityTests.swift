import HerdTracker
import Testing

@testable import HerdSeeder

@Suite("Swarm availability")
struct SwarmAvailabilityTests {
    let hash = InfoHash(bytes: [UInt8](repeating: 0x11, count: 20))!
    let other = InfoHash(bytes: [UInt8](repeating: 0x22, count: 20))!

    @Test("counts the pieces connected peers hold, from their bitfields")
    func counts() {
        let availability = SwarmAvailability()
        availability.update(hash, from: [], to: [0b1010_0000], pieceCount: 4)
        availability.update(hash, from: [], to: [0b1000_0000], pieceCount: 4)
        #expect((0..<4).map { availability.peersHolding(hash, piece: $0) } == [2, 0, 1, 0])
        availability.update(hash, from: [0b1010_0000], to: [], pieceCount: 4)
        #expect((0..<4).map { availability.peersHolding(hash, piece: $0) } == [1, 0, 0, 0])
        #expect(availability.peersHolding(hash, piece: 9) == 0)
        #expect(availability.peersHolding(other, piece: 0) == 0)
    }

    @Test("listed seeds that keep failing peers stop counting until their count changes and the misses stop")
    func ghostSeeds() {
        let availability = SwarmAvailability()
        #expect(availability.seedsElsewhere(hash, listed: 2, now: 0) == 2)
        for _ in 1..<SwarmAvailability.missesBeforeDistrust {
            availability.missedElsewhere(hash, listed: 2, now: 1)
        }
        #expect(availability.seedsElsewhere(hash, listed: 2, now: 1) == 2)  // a few misses happen in a live swarm too
        availability.missedElsewhere(hash, listed: 2, now: 2)
        #expect(availability.seedsElsewhere(hash, listed: 2, now: 2) == 0)
        #expect(availability.seedsElsewhere(hash, listed: 2, now: 1_000) == 0)  // the same seeds: still not there
        #expect(availability.seedsElsewhere(other, listed: 2, now: 2) == 2)  // per torrent
        // Another client left without a word right after: one more listed seed, still distrusted.
        #expect(availability.seedsElsewhere(hash, listed: 3, now: 5) == 0)
        availability.missedElsewhere(hash, listed: 3, now: 6)
        #expect(availability.seedsElsewhere(hash, listed: 3, now: 100) == 0)
        // A new seed announced and nothing was missed for a while: the listed seeds get another chance.
        let later = 6 + SwarmAvailability.trustCooldown
        #expect(availability.seedsElsewhere(hash, listed: 4, now: later) == 4)
        availability.missedElsewhere(hash, listed: 4, now: later)
        #expect(availability.seedsElsewhere(hash, listed: 4, now: later) == 4)
    }
}
