import HerdTracker
import Synchronization

/// How many of the seeder's connected peers hold each piece, per torrent, from their bitfields and `have`s.
/// Sessions consult it to leave pieces the swarm already has to the swarm (`SeederSession.swarmHolders`).
final class SwarmAvailability: Sendable {
    private let counts = Mutex<[InfoHash: [Int32]]>([:])
    /// Established connections per torrent and peer IP address.
    private let connections = Mutex<[InfoHash: [String: Int]]>([:])
    /// Per torrent: peers missing pieces only seeds elsewhere held (`missedElsewhere`).
    private let missesElsewhere = Mutex<[InfoHash: Misses]>([:])
    struct Misses {
        /// The tracker's count of seeds elsewhere at the last miss, misses since it changed, and when the last was.
        var listed: Int
        var count: Int
        var last: Double
    }
    /// After this many misses, listed seeds are not counted until the tracker's count of them changes and no miss
    /// came for `trustCooldown` seconds.
    static let missesBeforeDistrust = 3
    static let trustCooldown = 15.0

    /// Seeds the tracker lists besides this seeder (`listed`), as far as they proved to be there. A client that
    /// leaves without announcing `stopped` stays listed for minutes; when peers keep asking for pieces that only such
    /// seeds hold, they no longer count, until the tracker's count of seeds changes and peers stopped missing pieces
    /// for a while (clients that leave one after another each add one such seed).
    func seedsElsewhere(_ hash: InfoHash, listed: Int, now: Double) -> Int {
        missesElsewhere.withLock { all in
            guard let misses = all[hash], Self.distrusts(misses, listed: listed, now: now) else { return listed }
            return 0
        }
    }

    /// A peer asked again for a piece that only seeds elsewhere held, after leaving it to them for a while.
    func missedElsewhere(_ hash: InfoHash, listed: Int, now: Double) {
        missesElsewhere.withLock { all in
            var misses = all[hash] ?? Misses(listed: listed, count: 0, last: now)
            if misses.listed != listed && !Self.distrusts(misses, listed: listed, now: now) { misses.count = 0 }
            misses.listed = listed
            misses.count += 1
            misses.last = now
            all[hash] = misses
        }
    }

    private static func distrusts(_ misses: Misses, listed: Int, now: Double) -> Bool {
        misses.count >= missesBeforeDistrust && (misses.listed == listed || now - misses.last < trustCooldown)
    }

    func connected(_ hash: InfoHash, address: String) {
        connections.withLock { $0[hash, default: [:]][address, default: 0] += 1 }
    }

    func disconnected(_ hash: InfoHash, address: String) {
        connections.withLock { all in
            let left = (all[hash]?[address] ?? 1) - 1
            all[hash]?[address] = left > 0 ? left : nil
            if all[hash]?.isEmpty == true { all[hash] = nil }
        }
    }

    func isConnected(_ hash: InfoHash, address: String) -> Bool {
        connections.withLock { ($0[hash]?[address] ?? 0) > 0 }
    }

    /// Applies the change from one peer's old bitfield to its new one.
    func update(_ hash: InfoHash, from old: [UInt8], to new: [UInt8], pieceCount: Int) {
        guard old != new else { return }
        counts.withLock { all in
            var pieces = all[hash] ?? [Int32](repeating: 0, count: pieceCount)
            for byte in 0..<max(old.count, new.count) {
                let before = byte < old.count ? old[byte] : 0
                let after = byte < new.count ? new[byte] : 0
                guard before != after else { continue }
                for bit in 0..<8 where (before ^ after) & (0x80 >> bit) != 0 {
                    let piece = byte * 8 + bit
                    guard piece < pieceCount else { continue }
                    pieces[piece] += after & (0x80 >> bit) != 0 ? 1 : -1
                }
            }
            all[hash] = pieces.allSatisfy { $0 == 0 } ? nil : pieces
        }
    }

    func peersHolding(_ hash: InfoHash, piece: Int) -> Int {
        counts.withLock { all in
            guard let pieces = all[hash], piece >= 0, piece < pieces.count else { return 0 }
            return Int(pieces[piece])
        }
    }
}
